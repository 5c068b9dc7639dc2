/*
 * tfledger/tfledger.h - the whole public interface of libtfledger.
 */
#ifndef TFLEDGER_TFLEDGER_H
#define TFLEDGER_TFLEDGER_H

#include "tfledger/checkpoint.h"
#include "tfledger/config.h"
#include "tfledger/csv.h"
#include "tfledger/entry.h"
#include "tfledger/err.h"
#include "tfledger/export.h"
#include "tfledger/fund.h"
#include "tfledger/fundreport.h"
#include "tfledger/import.h"
#include "tfledger/keys.h"
#include "tfledger/ledger.h"
#include "tfledger/merkle.h"
#include "tfledger/money.h"
#include "tfledger/note.h"
#include "tfledger/proof.h"
#include "tfledger/report.h"
#include "tfledger/statement.h"
#include "tfledger/status.h"
#include "tfledger/store.h"

#define TFL_VERSION "0.1.0"

#endif
