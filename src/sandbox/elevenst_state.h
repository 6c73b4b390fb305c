/* The 11st sandbox's data: order lines (one per ordNo + ordPrdSeq) and cancel
 * claims, shared by elevenst.c (wire and state machine) and elevenst_data.c
 * (generation, bursts, reset, the state JSON). Everything is guarded by the
 * core's market lock. */
#ifndef OB_SANDBOX_ELEVENST_STATE_H
#define OB_SANDBOX_ELEVENST_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sandbox/gen.h"
#include "sandbox/sandbox.h"

struct st_addr {
	char name[32];
	char phone[20];
	char zip[8];
	char addr1[192];
	char addr2[128];
};

struct st_line {
	char ord_no[24];         /* 17 digits: YYYYMMDD + 9 */
	int seq;                 /* ordPrdSeq */
	uint64_t dlv_no;         /* > 32 bits */
	uint64_t prd_no;         /* > 32 bits */
	uint64_t stck_no;        /* > 32 bits */
	bool add_prd;            /* an add-on (addPrdYn Y) of product add_prd_no */
	uint64_t add_prd_no;
	char prd_nm[128];
	char opt_nm[160];
	char seller_prd_cd[40];
	char seller_stock_cd[40];
	int qty, cn_qty;
	int64_t sel_prc, seller_dsc, tmall_dsc, dlv_cst;
	char ord_nm[32];
	char ord_tel[20];
	char mem_id[40];
	struct st_addr rcvr;
	char memo[256];
	bool pending;            /* the buyer changed the address; 11st shows it at acknowledgement */
	struct st_addr next;
	ob_time ord_dt, stl_dt, ack_dt, snd_dt, dlv_end_dt, delay_dt, due;
	char stat[4];            /* ordPrdStat: 202 301 401 501 701 901 B01 */
	char courier[8];         /* dlvEtprsCd */
	char invoice[24];
	char delay_rsn[4];
};

struct st_claim {
	uint64_t cn_seq;         /* ordPrdCnSeq */
	size_t line;             /* index into lines */
	int qty;
	char stat[4];            /* 01 requested, 02 done, 05 withdrawn, 03 rejected (sandbox only) */
	char by[4];              /* ordCnMnbdCd: 01 buyer, 02 seller */
	char rsn[4];             /* ordCnRsnCd */
	char typ[4];             /* ordCnTypCd: 01 normal, 02 by 11st for late shipping */
	char text[200];
	ob_time create_dt, done_dt;
};

struct st_state {
	struct st_line *lines;
	size_t n, cap;
	struct st_claim *claims;
	size_t nc, capc;
	/* The data set as created, for /_sandbox/reset. */
	struct st_line *init_lines;
	size_t init_n;
	struct st_claim *init_claims;
	size_t init_nc;
	uint64_t next_seq_init, next_seq; /* the 9-digit tail of new ordNos and the next ids */
	bool maintenance;
	struct sandbox_gen_opts g;
	struct sandbox_rng rng;
};

/* elevenst_data.c */
int st_create(const struct sandbox_gen_opts *o, struct st_state **out, struct ob_err *err);
void st_free(struct st_state *s);
int st_reset(struct st_state *s, struct ob_err *err);
/* Makes the current data the one /_sandbox/reset returns to. */
int st_snapshot(struct st_state *s);
/* Adds n paid single-line orders spread evenly over the KST day (00:00 of it). */
int st_burst(struct st_state *s, ob_time day, int n);
struct st_line *st_add_line(struct st_state *s);
struct st_claim *st_add_claim(struct st_state *s);
int st_state_json(struct st_state *s, cJSON *root);
/* "YYYY-MM-DD HH:MM:SS" KST, or "" for 0. */
void st_time(ob_time t, char out[24]);

#endif
