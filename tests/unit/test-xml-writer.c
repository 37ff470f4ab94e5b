/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-xml-writer.c: the streaming XML writer behind Open311's XML answers
 * (open311/ks-xml-writer.c): nesting, escaping, characters XML 1.0 forbids,
 * invalid UTF-8, numbers, booleans, timestamps and empty elements, byte for byte. */
#include <glib.h>
#include <math.h>

#include "open311/ks-xml-writer.h"

#define DECL "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"

static char *
escaped (const char *text,
         gssize      len)
{
  GString *out = g_string_new (NULL);

  ks_xml_escape_append (out, text, len);
  return g_string_free (out, FALSE);
}

static void
test_document (void)
{
  g_autoptr(GString) str = g_string_new (NULL);
  KsXmlWriter w;

  ks_xml_writer_init (&w, str);
  ks_xml_writer_begin (&w, "service_requests");
  ks_xml_writer_begin (&w, "request");
  ks_xml_writer_element_int (&w, "service_request_id", 42);
  ks_xml_writer_element (&w, "status", "open");
  ks_xml_writer_element (&w, "status_notes", NULL);
  ks_xml_writer_element (&w, "description", "");
  ks_xml_writer_element_len (&w, "service_name", "Kerbs and more", 5);
  ks_xml_writer_element_double (&w, "lat", 51.7520001);
  ks_xml_writer_element_double (&w, "long", -1.2577);
  ks_xml_writer_element_bool (&w, "metadata", FALSE);
  ks_xml_writer_element_timestamp (&w, "requested_datetime", 1700000000);
  ks_xml_writer_element_timestamp (&w, "updated_datetime", 0);
  ks_xml_writer_end (&w);
  ks_xml_writer_end (&w);
  g_assert_cmpuint (w.depth, ==, 0);
  g_assert_cmpstr (str->str, ==,
                   DECL "<service_requests><request>"
                   "<service_request_id>42</service_request_id>"
                   "<status>open</status><status_notes/><description/>"
                   "<service_name>Kerbs</service_name>"
                   "<lat>51.7520001</lat><long>-1.2577</long>"
                   "<metadata>false</metadata>"
                   "<requested_datetime>2023-11-14T22:13:20Z</requested_datetime>"
                   "<updated_datetime/>"
                   "</request></service_requests>");
}

static void
test_escape (void)
{
  g_autofree char *markup = escaped ("<a href=\"x\">Tom & Jerry's</a>", -1);
  g_autofree char *controls = escaped ("a\tb\nc\rd\x01" "e\x7f" "f", -1);
  g_autofree char *utf8 = escaped ("Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\xa7", -1);
  g_autofree char *bad = escaped ("a\xff" "b\xc3" "c\xed\xa0\x80" "d\xef\xbf\xbe" "e", -1);
  g_autofree char *part = escaped ("abc&def", 4);

  g_assert_cmpstr (markup, ==, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;");
  /* Tab and newline pass, CR and DEL are escaped, other controls dropped. */
  g_assert_cmpstr (controls, ==, "a\tb\nc&#13;de&#127;f");
  g_assert_cmpstr (utf8, ==, "Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\xa7");
  /* Bytes that are not UTF-8, surrogates and U+FFFE become U+FFFD. */
  g_assert_cmpstr (bad, ==, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                   "d\xef\xbf\xbd" "e");
  g_assert_cmpstr (part, ==, "abc&amp;");
}

static void
test_numbers (void)
{
  static const struct { double value; const char *text; } doubles[] = {
    { 0, "0" }, { 1.5, "1.5" }, { -0.25, "-0.25" }, { 51.75200004, "51.752" },
    { 51.75200005, "51.7520001" }, { 123456789.0, "123456789" },
  };
  static const struct { gint64 value; const char *text; } ints[] = {
    { 0, "0" }, { -7, "-7" }, { G_MAXINT64, "9223372036854775807" }, { G_MININT64, "-9223372036854775808" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    {
      g_autoptr(GString) s = g_string_new (NULL);

      ks_xml_append_double (s, doubles[i].value);
      g_assert_cmpstr (s->str, ==, doubles[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      g_autoptr(GString) s = g_string_new (NULL);

      ks_xml_append_int (s, ints[i].value);
      g_assert_cmpstr (s->str, ==, ints[i].text);
    }
  {
    g_autoptr(GString) s = g_string_new (NULL);

    /* Not a number has no XML form: 0 rather than "nan". */
    ks_xml_append_double (s, NAN);
    g_assert_cmpstr (s->str, ==, "0");
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/xml-writer/document", test_document);
  g_test_add_func ("/xml-writer/escape", test_escape);
  g_test_add_func ("/xml-writer/numbers", test_numbers);
  return g_test_run ();
}
