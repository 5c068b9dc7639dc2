/*
 * cmds.h - the commands of tfaudit, one file each.  tfaudit only reads.
 */
#ifndef TFLEDGER_AUDIT_CMDS_H
#define TFLEDGER_AUDIT_CMDS_H

#include "../cli/common.h"

int cmd_consistency(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_prove(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_statement(struct cli *c, int argc, char **argv);
int cmd_verify(struct cli *c, int argc, char **argv);
int cmd_verify_statement(struct cli *c, int argc, char **argv);
int cmd_verify_proof(struct cli *c, int argc, char **argv);

#endif
