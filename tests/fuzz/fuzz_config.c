/* Fuzzes the config loader (inih + our validation). */
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/obfuzz-cfg-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	fchmod(fd, 0600);
	if (write(fd, data, size) == (ssize_t)size) {
		struct config cfg;
		struct ob_err err = OB_ERR_INIT;
		if (config_load(path, &cfg, &err) == OB_OK)
			config_free(&cfg);
	}
	close(fd);
	unlink(path);
	return 0;
}
