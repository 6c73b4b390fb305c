/* Small helpers every market adapter uses when it acts: the result of an item,
 * and the receiver address as the market has it now compared with the sheet's
 * (the buyer may change it until acknowledgement). */
#ifndef OB_MARKET_ADAPTER_H
#define OB_MARKET_ADAPTER_H

#include <stdbool.h>
#include <stddef.h>

#include "market/market.h"

/* Sets an item's result, market code (NULL = none) and message. */
void action_result(struct action_item *it, enum result res, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A receiver address as the market gives it; NULL parts read as "". */
struct market_address {
	const char *name, *phone, *zip, *addr1, *addr2;
};

/* True when a part the sheet row carries differs from the market's (parts the
 * sheet left empty are not compared; leading spaces of the market's values are
 * ignored). */
bool address_differs(const struct record *rec, const struct market_address *now);
/* "name phone (zip) addr1 addr2" into out. */
void address_text(const struct market_address *a, char *out, size_t n);

#endif
