/*
 * cmds.h - the commands of tfledger, one file each.
 */
#ifndef TFLEDGER_CLI_CMDS_H
#define TFLEDGER_CLI_CMDS_H

#include "common.h"

int cmd_checkpoint(struct cli *c, int argc, char **argv);
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_key(struct cli *c, int argc, char **argv);
int cmd_log(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);

#endif
