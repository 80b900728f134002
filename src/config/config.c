/*
 * parleyd's configuration: the defaults, and loading a file or a text with
 * libconfig before anything starts. The keys and their checks are in
 * conf_schema.c, the walk and the error format in conf_reader.c.
 *
 * On any error *c is left as it was, so a reload (SIGHUP) that fails keeps
 * the configuration that runs. An @include names a file relative to the
 * including file's directory.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libconfig.h>

#include "parley/config.h"

#include "conf_reader.h"

void conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->store, "/var/lib/parley/parley.db");
	strcpy(c->control_socket, "/run/parley/parley.sock");
	c->log_level = CONF_LOG_INFO;
	c->metrics_interval = 30;
	c->retries = 5;
	c->retry_base = 30;
	c->unknown_requeue = false;
	c->reassembly_timeout = 3600;
	c->retention_days = 0;
	c->report_window = 259200;
	conf_policy_defaults(&c->policy);
	conf_mqtt_defaults(&c->mqtt);
	conf_automation_defaults(&c->automation);
}

static void set_err(char *err, size_t err_size, const char *name, const char *what)
{
	if (err && err_size)
		snprintf(err, err_size, "%s: %s", name, what);
}

/* Checks what libconfig parsed (ok false: it did not) and fills c on success. */
static int conf_finish(config_t *cfg, bool ok, const char *name, const char *dir, struct conf *c,
		       char *err, size_t err_size)
{
	struct conf_reader r = { .name = name, .dir = dir, .err = err, .err_size = err_size };
	struct conf tmp;
	int ret;

	if (!ok) {
		char buf[512];
		const char *file = conf_file_name(&r, config_error_file(cfg), buf, sizeof(buf));

		if (err && err_size && config_error_line(cfg) > 0)
			snprintf(err, err_size, "%s:%d: %s", file, config_error_line(cfg),
				 config_error_text(cfg));
		else
			set_err(err, err_size, file, config_error_text(cfg));
		return -EINVAL;
	}
	conf_defaults(&tmp);
	ret = conf_schema_read(&r, config_root_setting(cfg), &tmp);
	if (ret)
		return ret;
	*c = tmp;
	if (err && err_size)
		err[0] = '\0';
	return 0;
}

int conf_load(const char *path, struct conf *c, char *err, size_t err_size)
{
	config_t cfg;
	struct stat st;
	char *dir, *include_dir;
	FILE *f;
	bool ok;
	int ret;

	/* opened here rather than by config_read_file(), which keeps no errno */
	f = fopen(path, "r");
	if (!f) {
		ret = -errno;
		set_err(err, err_size, path, strerror(-ret));
		return ret;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		set_err(err, err_size, path, strerror(EISDIR));
		return -EISDIR;
	}
	dir = strdup(path);
	if (!dir) {
		fclose(f);
		set_err(err, err_size, path, strerror(ENOMEM));
		return -ENOMEM;
	}
	config_init(&cfg);
	include_dir = dirname(dir);
	config_set_include_dir(&cfg, include_dir);
	ok = config_read(&cfg, f) == CONFIG_TRUE;
	fclose(f);
	ret = conf_finish(&cfg, ok, path, include_dir, c, err, err_size);
	config_destroy(&cfg);
	free(dir);
	return ret;
}

int conf_load_string(const char *text, const char *name, struct conf *c, char *err,
		     size_t err_size)
{
	config_t cfg;
	bool ok;
	int ret;

	if (!text)
		return -EINVAL;
	if (!name)
		name = "(string)";
	config_init(&cfg);
	ok = config_read_string(&cfg, text) == CONFIG_TRUE;
	ret = conf_finish(&cfg, ok, name, NULL, c, err, err_size);
	config_destroy(&cfg);
	return ret;
}
