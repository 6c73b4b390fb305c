/* The 11st sandbox's data: order lines (one per ordNo + ordPrdSeq), cancel
 * claims and return/exchange claims, shared by elevenst.c (wire and the order
 * and cancel state machine), elevenst_ret.c (returns and exchanges) and
 * elevenst_data.c (generation, bursts, reset, the state JSON). Everything is
 * guarded by the core's market lock. */
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

/* A return (반품) or exchange (교환) claim, §10. */
struct st_rclaim {
	uint64_t seq;            /* clmReqSeq */
	size_t line;             /* index into lines */
	bool exchange;
	int qty;                 /* clmReqQty */
	char stat[4];            /* clmStat: 103-109 returns, 201 212 214 221 232 233 exchanges */
	char rsn[4];             /* clmReqRsn */
	char text[200];          /* clmReqCont */
	char tw_mthd[4];         /* twMthd */
	int64_t fee, appmt_fee;  /* clmLstDlvCst, appmtDlvCst (written with a thousands comma) */
	char fee_mthd[4];        /* clmDlvCstMthd; "" = the literal null (seller at fault) */
	char pickup_courier[8];  /* dlvEtprsCd */
	char pickup_invoice[24]; /* twPrdInvcNo */
	char pickup_mthd[4];     /* dlvMthdCd of the return invoice */
	struct st_addr pickup;   /* where the item is picked up (the buyer) */
	struct st_addr exch;     /* exchanges: where the replacement goes */
	char resend_courier[8];  /* exchangereqconf: the replacement's courier and invoice */
	char resend_invoice[24];
	char seller_code[4];     /* refsRsnCd / deferRefsRsnCd of the last decision */
	char seller_text[200];
	ob_time req_dt, end_dt;  /* requested; completed, withdrawn or rejected */
	ob_time hold_dt;         /* last hold */
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
	struct st_rclaim *rclaims;
	size_t nr, capr;
	struct st_rclaim *init_rclaims;
	size_t init_nr;
	uint64_t next_rseq;      /* the next clmReqSeq */
	uint64_t next_rseq_init;
	/* Serve the return invoice under the single claimservice/returninvc path
	 * instead of the documented doubled one (to test the fallback). */
	bool returninvc_single;
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

/* Wire helpers (elevenst.c). A NULL value is written as the literal null. */
int st_put_esc(struct buf *b, const char *s);
int st_leaf(struct buf *b, const char *name, const char *v);
int st_leaf_u64(struct buf *b, const char *name, uint64_t v);
int st_leaf_i64(struct buf *b, const char *name, int64_t v);
int st_leaf_time(struct buf *b, const char *name, ob_time t);
/* Sends the UTF-8 document xml (no declaration) as CP949 under decl_enc. */
int st_send_xml(struct sandbox_response *resp, const char *decl_enc, const struct buf *xml);
/* A list answer without rows (0 = nothing found, or an error). */
int st_list_code(struct sandbox_response *resp, long code, const char *text);
/* An action answer (ResultOrder). */
int st_result_order(struct sandbox_response *resp, long code, const char *text);
bool st_minute_time(const char *s, ob_time *t);
long st_find_line(const struct st_state *s, const char *ord_no, const char *seq);
/* Percent-decodes a path segment; false unless non-empty UTF-8 that fits. */
bool st_seg_decode(const char *s, char *out, size_t n);
/* Courier code known and invoice valid for it (*why 1 = courier, 2 = invoice). */
bool st_courier_ok(const char *code, const char *invoice, long *why);
int st_json_answer(struct sandbox_response *resp, int status, const char *k, const char *v, int count);

/* Returns and exchanges (elevenst_ret.c). r->seg[] is the path after /rest/. */
struct st_rclaim *st_add_rclaim(struct st_state *s);
/* Deterministic claims on delivered and confirmed lines (its own random
 * stream, so the rest of the data set does not change). */
int st_retex_generate(struct st_state *s);
/* True when the path is a return/exchange list; *handled set when the
 * request was one of the return/exchange endpoints and resp is filled. */
bool st_retex_is_list(const char *name);
int st_retex_handle(struct st_state *s, char *const *seg, int nseg, const struct sandbox_request *req,
		    struct sandbox_response *resp, bool *handled);
/* Test endpoints: return-request, exchange-request, claim-withdraw,
 * return-complete, return-burst, returninvc-path. *handled as above. */
int st_retex_test(struct st_state *s, const char *action, const struct sandbox_request *req,
		  struct sandbox_response *resp, bool *handled);
int st_retex_json(struct st_state *s, cJSON *root);

#endif
