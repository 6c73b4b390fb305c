/* `orderbridge sandbox`: runs the simulated markets (src/sandbox/) on loopback
 * until SIGINT or SIGTERM, for trying the tool and for the integration tests.
 * The signals are blocked before any server thread exists and taken with
 * sigwait here, so no handler runs on a server thread and the stop is an
 * ordinary return through sandbox_stop. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "sandbox/sandbox.h"
#include "util/err.h"
#include "util/kst.h"
#include "util/str.h"

static int parse_long(const char *opt, const char *v, long lo, long hi, long *out)
{
	int64_t x;
	if (str_to_i64(v, &x) < 0 || x < lo || x > hi)
		return cmd_usage_error("sandbox", "%s needs a whole number from %ld to %ld, not '%s'", opt, lo, hi, v);
	*out = (long)x;
	return OB_OK;
}

int cmd_sandbox(int argc, char **argv, const struct ob_globals *g)
{
	(void)g;
	enum { O_PORT = 256, O_SEED, O_ORDERS, O_DAYS, O_TODAY, O_LATENCY, O_FAULT, O_FAULT_DELAY, O_RATE,
	       O_WRITE_CONFIG, O_DATASET, O_BURST, O_TOKEN_TTL, O_MARKET_RATE };
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, O_PORT },
		{ "seed", required_argument, NULL, O_SEED },
		{ "orders", required_argument, NULL, O_ORDERS },
		{ "days", required_argument, NULL, O_DAYS },
		{ "today", required_argument, NULL, O_TODAY },
		{ "latency", required_argument, NULL, O_LATENCY },
		{ "fault", required_argument, NULL, O_FAULT },
		{ "fault-delay", required_argument, NULL, O_FAULT_DELAY },
		{ "rate", required_argument, NULL, O_RATE },
		{ "market-rate", required_argument, NULL, O_MARKET_RATE },
		{ "write-config", required_argument, NULL, O_WRITE_CONFIG },
		{ "dataset", required_argument, NULL, O_DATASET },
		{ "burst", required_argument, NULL, O_BURST },
		{ "token-ttl", required_argument, NULL, O_TOKEN_TTL },
		{ NULL, 0, NULL, 0 },
	};
	struct sandbox_opts o;
	sandbox_opts_default(&o);
	long port = 8780, v = 0;
	const char *config_out = NULL;
	struct ob_err err = OB_ERR_INIT;
	int c, rc;
	while ((c = cmd_getopt("sandbox", argc, argv, "", longopts)) != -1) {
		switch (c) {
		case O_PORT:
			if ((rc = parse_long("--port", optarg, 0, 65535, &port)) != OB_OK)
				return rc;
			break;
		case O_SEED: {
			if (!str_is_digits(optarg) || strlen(optarg) > 19)
				return cmd_usage_error("sandbox", "--seed needs a whole number, not '%s'", optarg);
			o.seed = strtoull(optarg, NULL, 10);
			break;
		}
		case O_ORDERS:
			if ((rc = parse_long("--orders", optarg, 0, 100000, &v)) != OB_OK)
				return rc;
			o.orders = (int)v;
			break;
		case O_DAYS:
			if ((rc = parse_long("--days", optarg, 1, 3650, &v)) != OB_OK)
				return rc;
			o.days = (int)v;
			break;
		case O_TODAY:
			if (strlen(optarg) != 10 || kst_parse_date(optarg, &o.today) < 0)
				return cmd_usage_error("sandbox", "--today needs a date YYYY-MM-DD, not '%s'", optarg);
			break;
		case O_LATENCY:
			if ((rc = parse_long("--latency", optarg, 0, 600000, &v)) != OB_OK)
				return rc;
			o.latency_ms = v;
			break;
		case O_FAULT:
			if (sandbox_parse_faults(optarg, &o, &err) != OB_OK)
				return cmd_usage_error("sandbox", "--fault: %s", err.msg);
			break;
		case O_FAULT_DELAY:
			if ((rc = parse_long("--fault-delay", optarg, 0, 600000, &v)) != OB_OK)
				return rc;
			o.fault_delay_ms = v;
			break;
		case O_RATE: {
			char *end;
			errno = 0;
			double r = strtod(optarg, &end);
			if (end == optarg || *end || errno || r < 0 || r > 1e6)
				return cmd_usage_error("sandbox", "--rate needs requests per second (0 = unlimited), not '%s'",
						       optarg);
			o.rate = r;
			break;
		}
		case O_MARKET_RATE: {
			const char *eq = strchr(optarg, '=');
			char *end;
			errno = 0;
			double r = eq ? strtod(eq + 1, &end) : -1;
			if (!eq || eq == optarg || (size_t)(eq - optarg) >= sizeof o.market_rates[0].market || !eq[1] ||
			    *end || errno || r < 0 || r > 1e6)
				return cmd_usage_error("sandbox", "--market-rate needs MARKET=REQUESTS_PER_SECOND, not '%s'",
						       optarg);
			if (o.nmarket_rates >= SANDBOX_MAX_MARKETS)
				return cmd_usage_error("sandbox", "at most %d --market-rate options", SANDBOX_MAX_MARKETS);
			memcpy(o.market_rates[o.nmarket_rates].market, optarg, (size_t)(eq - optarg));
			o.market_rates[o.nmarket_rates].market[eq - optarg] = '\0';
			if (!sandbox_market_find(o.market_rates[o.nmarket_rates].market))
				return cmd_usage_error("sandbox", "--market-rate: no market '%s' in the sandbox",
						       o.market_rates[o.nmarket_rates].market);
			o.market_rates[o.nmarket_rates++].rate = r;
			break;
		}
		case O_WRITE_CONFIG:
			config_out = optarg;
			break;
		case O_BURST:
			if (sandbox_parse_burst(optarg, &o, &err) != OB_OK)
				return cmd_usage_error("sandbox", "%s", err.msg);
			break;
		case O_DATASET: {
			const char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg || !eq[1])
				return cmd_usage_error("sandbox", "--dataset needs MARKET=FILE, not '%s'", optarg);
			if (o.ndatasets >= SANDBOX_MAX_MARKETS)
				return cmd_usage_error("sandbox", "at most %d --dataset options", SANDBOX_MAX_MARKETS);
			/* The market name is cut out of argv in place: argv outlives o. */
			optarg[eq - optarg] = '\0';
			o.datasets[o.ndatasets++] = (struct sandbox_dataset){ optarg, eq + 1 };
			break;
		}
		case O_TOKEN_TTL:
			/* Short lifetimes let tests see tokens expire mid-run. */
			if ((rc = parse_long("--token-ttl", optarg, 1, 86400, &v)) != OB_OK)
				return rc;
			o.token_ttl = v;
			break;
		default:
			return OB_EUSAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error("sandbox", "unexpected argument '%s'", argv[optind]);

	/* Blocked before sandbox_start so every server thread inherits the mask
	 * and the signals reach only the sigwait below. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0) {
		fprintf(stderr, "orderbridge sandbox: cannot block signals\n");
		return OB_EIO;
	}
	signal(SIGPIPE, SIG_IGN);

	struct sandbox *sb = NULL;
	rc = sandbox_start(&o, (int)port, &sb, &err);
	if (rc != OB_OK) {
		fprintf(stderr, "orderbridge sandbox: %s\n", err.msg);
		return rc;
	}
	for (size_t i = 0; i < sandbox_count(sb); i++)
		printf("%s listening on http://127.0.0.1:%d\n", sandbox_name(sb, i), sandbox_port(sb, i));
	fflush(stdout);
	/* Written only now, so a script that waits for the file finds every
	 * listener up. */
	if (config_out) {
		rc = sandbox_write_config(sb, config_out, &err);
		if (rc != OB_OK) {
			fprintf(stderr, "orderbridge sandbox: %s\n", err.msg);
			sandbox_stop(sb);
			return rc;
		}
		fprintf(stderr, "orderbridge sandbox: configuration written to %s\n", config_out);
	}
	int sig = 0;
	while (sigwait(&set, &sig) != 0)
		;
	fprintf(stderr, "orderbridge sandbox: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	sandbox_stop(sb);
	return OB_OK;
}
