/*
 * Message templates: "Hello {name}, your order {order} is ready" with the
 * values given by the caller. A placeholder is "{" + a name of 1 to
 * TEMPLATE_NAME_MAX letters, digits or underscores + "}"; "{{" and "}}"
 * stand for literal braces. Values are inserted as they are, never read
 * again as template text, so a customer's "{x}" in a value stays "{x}".
 *
 * A placeholder with no value is an error, never an empty string: a text
 * reading "Dear , your code is " must not reach a customer.
 *
 * Pure: no allocation, no I/O. Where templates come from (configuration)
 * and which encoding the result needs (codec) are other layers' business.
 */
#ifndef PARLEY_TEMPLATE_H
#define PARLEY_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#define TEMPLATE_NAME_MAX 32

/* One value; both borrowed. A NULL value counts as not given. */
struct template_var {
	const char *name, *value;
};

/* Whether name[0..len) can name a placeholder ([A-Za-z0-9_]{1,TEMPLATE_NAME_MAX}). */
bool template_name_ok(const char *name, size_t len);

/*
 * Renders tmpl with vars[0..n) into out (size bytes, always NUL-terminated
 * when size > 0; set to "" on every error so a partial text cannot be sent
 * by mistake). When a name appears twice in vars the first counts.
 * missing (missing_size bytes, may be NULL) receives what went wrong.
 * Returns the rendered length (without the NUL), or:
 *   -EINVAL   tmpl is NULL, or malformed: a "{" with no "}", a name that is
 *             empty, too long or has other characters, or a lone "}"
 *             (write "}}"); missing gets a short description with the
 *             byte offset. Checked over the whole template first: a
 *             malformed template wins over a missing value.
 *   -ENOENT   a placeholder has no value; missing gets the first such name.
 *   -EMSGSIZE the text (plus its NUL) does not fit in size bytes, or is
 *             longer than INT_MAX.
 */
int template_render(const char *tmpl, const struct template_var *vars, size_t n, char *out,
		    size_t size, char *missing, size_t missing_size);

#endif
