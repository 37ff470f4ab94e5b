/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-form.c: the form-urlencoded parser (http/ks-form.c) that Open311 POSTs
 * go through: escapes, '+', repeated and empty keys, limits and malformed
 * input refused with a sentence. */
#include <glib.h>
#include <string.h>

#include "ks-error.h"
#include "http/ks-form.h"

static KsForm *
parse (const char *text,
       guint       max_pairs,
       GError    **error)
{
  return ks_form_parse (text, strlen (text), max_pairs, error);
}

static void
test_pairs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KsForm) form = parse ("service_code=KERB&description=Broken+kerb%2C+%C3%A9&lat=51.75"
                                  "&media_url=&flag&&attribute%5Bkind%5D=a&attribute%5Bkind%5D=b",
                                  0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (form);
  g_assert_cmpuint (ks_form_size (form), ==, 7);
  g_assert_cmpstr (ks_form_key (form, 0), ==, "service_code");
  g_assert_cmpstr (ks_form_value (form, 0), ==, "KERB");
  g_assert_cmpstr (ks_form_get (form, "description"), ==, "Broken kerb, é");
  g_assert_cmpstr (ks_form_get (form, "lat"), ==, "51.75");
  /* An empty value and a key with no '=' are both "". */
  g_assert_cmpstr (ks_form_get (form, "media_url"), ==, "");
  g_assert_cmpstr (ks_form_get (form, "flag"), ==, "");
  /* Repeated keys are all kept, in order; get gives the first. */
  g_assert_cmpuint (ks_form_count (form, "attribute[kind]"), ==, 2);
  g_assert_cmpstr (ks_form_get (form, "attribute[kind]"), ==, "a");
  g_assert_cmpstr (ks_form_key (form, 6), ==, "attribute[kind]");
  g_assert_cmpstr (ks_form_value (form, 6), ==, "b");
  g_assert_null (ks_form_get (form, "missing"));
  g_assert_cmpuint (ks_form_count (form, "missing"), ==, 0);
}

static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KsForm) form = ks_form_parse (NULL, 0, 0, &error);
  g_autoptr(KsForm) blank = parse ("&&", 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ks_form_size (form), ==, 0);
  g_assert_cmpuint (ks_form_size (blank), ==, 0);
}

static void
test_malformed (void)
{
  /* Cut or bad escapes, an escaped NUL, a raw NUL, invalid UTF-8. */
  static const char *const bad[] = { "a=%", "a=%4", "a=%zz", "%G1=x", "a=%00", "a=%C3%28", "a=%FF" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KsForm) form = parse (bad[i], 0, &error);

      g_assert_null (form);
      g_assert_error (error, KS_ERROR, KS_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "application/x-www-form-urlencoded"));
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KsForm) form = ks_form_parse ("a=b\0c", 5, 0, &error);

    g_assert_null (form);
    g_assert_error (error, KS_ERROR, KS_ERROR_INVALID);
  }
}

static void
test_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KsForm) three = parse ("a=1&b=2&c=3", 3, &error);
  g_autoptr(KsForm) four = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (ks_form_size (three), ==, 3);
  four = parse ("a=1&b=2&c=3&d=4", 3, &error);
  g_assert_null (four);
  g_assert_error (error, KS_ERROR, KS_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The form has more than 3 fields. Send fewer fields.");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/form/pairs", test_pairs);
  g_test_add_func ("/form/empty", test_empty);
  g_test_add_func ("/form/malformed", test_malformed);
  g_test_add_func ("/form/limit", test_limit);
  return g_test_run ();
}
