/*
 * cmds.h - the commands of tfaudit, one file each.  tfaudit only reads.
 */
#ifndef TFLEDGER_AUDIT_CMDS_H
#define TFLEDGER_AUDIT_CMDS_H

#include "../cli/common.h"

int cmd_verify(struct cli *c, int argc, char **argv);

#endif
