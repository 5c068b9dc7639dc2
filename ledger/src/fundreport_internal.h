/*
 * fundreport_internal.h - shared by the fund report's files: the
 * builder (fundreport.c), the text, CSV and JSON renderers
 * (fundreport_render.c) and the PDF renderer (fundreport_pdf.c).  The
 * names of counts and services are the statement's (statement_json.c).
 */
#ifndef TFLEDGER_FUNDREPORT_INTERNAL_H
#define TFLEDGER_FUNDREPORT_INTERNAL_H

#include <stdio.h>

#include "statement_internal.h"
#include "tfledger/fundreport.h"

/* The kinds of donor, in FORMAT.md's order (its donorkind). */
extern const char *const tfl__fr_kinds[6];

/* An amount of the base currency into buf[48]: canonical, or grouped. */
void tfl__fr_money(char buf[48], int64_t v, const tfl_fundreport *r,
    int grouped);

/* Write r to out as PDF (fundreport_pdf.c): 0 or as tfl__pdf_finish. */
int tfl__fundreport_pdf(FILE *out, const tfl_fundreport *r, tfl_err *err);

#endif
