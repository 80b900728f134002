/* +CMS / +CME ERROR words and retry classes (27.005 3.2.5, 24.011 Annex E, 27.007 9.2). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parley/at_errors.h"

static void cms_words_and_classes(void **state)
{
	(void)state;
	assert_string_equal(at_cms_error_text(500), "unknown error");
	assert_string_equal(at_cms_error_text(331), "no network service");
	assert_string_equal(at_cms_error_text(21), "short message transfer rejected");
	assert_string_equal(at_cms_error_text(196), "destination SME barred");
	assert_string_equal(at_cms_error_text(600), "manufacturer-specific error");
	assert_string_equal(at_cms_error_text(-1), "unknown message service error");

	/* temporary: the network or modem may do better later */
	static const int temporary[] = { 38, 41, 42, 47, 192, 314, 331, 332, 500, 512, 9999, -1 };
	for (size_t i = 0; i < sizeof(temporary) / sizeof(temporary[0]); i++)
		assert_int_equal(at_cms_error_class(temporary[i]), AT_ERROR_TEMPORARY);
	/* permanent: the same PDU to the same number fails again */
	static const int permanent[] = { 1, 8, 10, 21, 28, 29, 30, 50, 96, 196, 304, 310, 311, 330 };
	for (size_t i = 0; i < sizeof(permanent) / sizeof(permanent[0]); i++)
		assert_int_equal(at_cms_error_class(permanent[i]), AT_ERROR_PERMANENT);
}

static void cme_words(void **state)
{
	(void)state;
	assert_string_equal(at_cme_error_text(11), "SIM PIN required");
	assert_string_equal(at_cme_error_text(10), "SIM not inserted");
	assert_string_equal(at_cme_error_text(7777), "unknown equipment error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cms_words_and_classes),
		cmocka_unit_test(cme_words),
	};
	return cmocka_run_group_tests_name("at_errors", tests, NULL, NULL);
}
