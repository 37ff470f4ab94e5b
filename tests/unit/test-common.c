/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-common.c: unit tests of src/common (tables, JSON writer, time, geo,
 * password policy). */
#define G_LOG_DOMAIN "test-common"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ks-error.h"
#include "ks-geo.h"
#include "ks-json-writer.h"
#include "ks-password-policy.h"
#include "ks-permissions.h"
#include "ks-states.h"
#include "ks-time.h"

/* DESIGN.md section 1, written out again: the product's specification. Columns:
 * Customer Services, Inspectors, Internal maintenance, Administrators. */
static const struct {
  const char *id;
  const char *roles;
} expected_table[] = {
  { "view_all_reports",        "YYYY" },
  { "view_report",             "YYYY" },
  { "acknowledge_report",      "YYYY" },
  { "update_report",           "NYYY" },
  { "create_report_on_behalf", "YYNY" },
  { "prioritise_report",       "NYYY" },
  { "moderate_report",         "YNNY" },
  { "hide_report",             "YNNY" },
  { "update_status",           "NYYY" },
  { "request_more_info",       "NYYY" },
  { "use_templates",           "NYYY" },
  { "edit_templates",          "NNNY" },
  { "shortlist",               "NYYY" },
  { "view_offline",            "NYYY" },
  { "manage_staff",            "NNNY" },
  { "edit_categories",         "NNNY" },
  { "view_dashboard",          "YYYY" },
  { "edit_priorities",         "NNNY" },
};

static const char *expected_role_names[] = {
  "Customer Services", "Inspectors", "Internal maintenance", "Administrators",
};

static void
test_default_roles_table (void)
{
  g_assert_cmpuint (KS_N_PERMISSIONS, ==, G_N_ELEMENTS (expected_table));
  g_assert_cmpuint (KS_N_DEFAULT_ROLES, ==, G_N_ELEMENTS (expected_role_names));

  for (guint r = 0; r < KS_N_DEFAULT_ROLES; r++)
    {
      KsPermissionSet set = ks_default_role_permissions (r);

      g_assert_cmpstr (ks_default_role_name (r), ==, expected_role_names[r]);
      for (guint p = 0; p < KS_N_PERMISSIONS; p++)
        {
          gboolean want = expected_table[p].roles[r] == 'Y';
          if (KS_PERMISSION_SET_HAS (set, p) != want)
            g_test_fail_printf ("Role %s: permission %s should be %s",
                     expected_role_names[r], expected_table[p].id, want ? "granted" : "refused");
        }
      /* No bits beyond the known permissions. */
      g_assert_cmpuint (set & ~KS_PERMISSION_SET_ALL, ==, 0);
    }
  g_assert_cmpuint (ks_default_role_permissions (KS_ROLE_ADMINISTRATORS), ==, KS_PERMISSION_SET_ALL);
}

static void
test_permission_ids (void)
{
  for (guint p = 0; p < KS_N_PERMISSIONS; p++)
    {
      KsPermission back = KS_N_PERMISSIONS;
      const char *id = ks_permission_id (p);

      g_assert_cmpstr (id, ==, expected_table[p].id);
      g_assert_true (ks_permission_from_id (id, &back));
      g_assert_cmpint (back, ==, p);
      g_assert_nonnull (ks_permission_label (p));
      g_assert_cmpuint (strlen (ks_permission_label (p)), >, 0);
      for (guint q = 0; q < p; q++)
        g_assert_cmpstr (ks_permission_label (q), !=, ks_permission_label (p));
    }
  g_assert_false (ks_permission_from_id (NULL, NULL));
  g_assert_false (ks_permission_from_id ("", NULL));
  g_assert_false (ks_permission_from_id ("VIEW_REPORT", NULL));
  g_assert_false (ks_permission_from_id ("view_report ", NULL));
  g_assert_false (ks_permission_from_id ("root", NULL));
}

static void
test_states_table (void)
{
  static const struct {
    const char *id;
    KsStateKind kind;
  } expected[] = {
    { "unconfirmed", KS_STATE_KIND_UNCONFIRMED },
    { "hidden", KS_STATE_KIND_HIDDEN },
    { "confirmed", KS_STATE_KIND_OPEN },
    { "investigating", KS_STATE_KIND_OPEN },
    { "in_progress", KS_STATE_KIND_OPEN },
    { "action_scheduled", KS_STATE_KIND_OPEN },
    { "awaiting_information", KS_STATE_KIND_OPEN },
    { "fixed", KS_STATE_KIND_FIXED },
    { "no_further_action", KS_STATE_KIND_CLOSED },
    { "not_responsible", KS_STATE_KIND_CLOSED },
    { "duplicate", KS_STATE_KIND_CLOSED },
    { "internal_referral", KS_STATE_KIND_CLOSED },
    { "closed", KS_STATE_KIND_CLOSED },
  };

  g_assert_cmpuint (ks_states_count (), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const KsState *s = ks_states_nth (i);
      gboolean is_public = expected[i].kind != KS_STATE_KIND_UNCONFIRMED &&
                           expected[i].kind != KS_STATE_KIND_HIDDEN;

      g_assert_cmpstr (s->id, ==, expected[i].id);
      g_assert_cmpint (s->kind, ==, expected[i].kind);
      g_assert_true (ks_state_lookup (expected[i].id) == s);
      g_assert_true (ks_state_is_valid (expected[i].id));
      g_assert_cmpint (ks_state_is_public (expected[i].id), ==, is_public);
      g_assert_nonnull (s->label);
      g_assert_cmpuint (strlen (s->label), >, 0);
      g_assert_true (g_regex_match_simple ("^#[0-9a-f]{6}$", s->colour, 0, 0));
    }
  g_assert_null (ks_state_lookup (NULL));
  g_assert_false (ks_state_is_valid ("open"));
  g_assert_false (ks_state_is_valid ("Fixed"));
  g_assert_false (ks_state_is_valid (""));
  g_assert_false (ks_state_is_public ("bogus"));
  g_assert_cmpstr (ks_state_kind_id (KS_STATE_KIND_OPEN), ==, "open");
  g_assert_cmpstr (ks_state_kind_id (KS_STATE_KIND_FIXED), ==, "fixed");
  g_assert_cmpstr (ks_state_kind_id (KS_STATE_KIND_CLOSED), ==, "closed");
  g_assert_cmpstr (ks_state_kind_id (KS_STATE_KIND_HIDDEN), ==, "hidden");
  g_assert_cmpstr (ks_state_kind_id (KS_STATE_KIND_UNCONFIRMED), ==, "unconfirmed");
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("Not valid JSON (%s): %s", error->message, text);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_json_escaping (void)
{
  static const char *samples[] = {
    "plain",
    "",
    "quote \" and backslash \\ and slash /",
    "new\nline\ttab\rreturn\b\f",
    "\x01\x02\x1f control",
    "caf\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x9a\xa7 unicode",
    "'; DROP TABLE reports; --",
    "</script><script>alert(1)</script>",
  };
  g_autoptr(GString) str = g_string_new (NULL);
  g_autoptr(JsonNode) root = NULL;
  KsJsonWriter w;
  JsonObject *obj;
  JsonArray *arr;

  ks_json_writer_init (&w, str);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "strings");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    ks_json_writer_string (&w, samples[i]);
  ks_json_writer_string (&w, NULL);
  ks_json_writer_string_len (&w, "abcdef", 3);
  ks_json_writer_string (&w, "bad \xff\xfe utf8");
  ks_json_writer_end_array (&w);
  ks_json_writer_member_string (&w, "key \"with\" quotes\n", "v");
  ks_json_writer_end_object (&w);
  g_assert_cmpuint (w.depth, ==, 0);

  g_assert_true (g_utf8_validate (str->str, str->len, NULL));
  root = parse (str->str);
  obj = json_node_get_object (root);
  arr = json_object_get_array_member (obj, "strings");
  g_assert_cmpuint (json_array_get_length (arr), ==, G_N_ELEMENTS (samples) + 3);
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    g_assert_cmpstr (json_array_get_string_element (arr, i), ==, samples[i]);
  g_assert_true (json_array_get_null_element (arr, G_N_ELEMENTS (samples)));
  g_assert_cmpstr (json_array_get_string_element (arr, G_N_ELEMENTS (samples) + 1), ==, "abc");
  {
    const char *fixed = json_array_get_string_element (arr, G_N_ELEMENTS (samples) + 2);
    g_assert_true (g_utf8_validate (fixed, -1, NULL));
    g_assert_true (g_str_has_prefix (fixed, "bad "));
    g_assert_true (g_str_has_suffix (fixed, " utf8"));
  }
  g_assert_cmpstr (json_object_get_string_member (obj, "key \"with\" quotes\n"), ==, "v");

  /* Control characters never appear raw. */
  for (gsize i = 0; i < str->len; i++)
    g_assert_cmpint ((guchar) str->str[i], >=, 0x20);
}

static void
test_json_numbers (void)
{
  static const gint64 ints[] = {
    0, 1, -1, 9, 10, 42, -42, 1234567890, G_MAXINT32, G_MININT32,
    G_MAXINT64, G_MININT64, G_MAXINT64 - 1, G_MININT64 + 1,
  };
  static const double doubles[] = {
    0.0, 1.0, -1.0, 0.5, -0.5, 51.7521, -1.2578, 51.7520123, -1.2577999,
    179.9999999, -180.0, 90.0, -89.9999999, 0.0000001, 123456.25, 1e15, -2.5e20,
  };
  g_autoptr(GString) str = g_string_new (NULL);
  g_autoptr(JsonNode) root = NULL;
  KsJsonWriter w;
  JsonObject *obj;
  JsonArray *arr;

  ks_json_writer_init (&w, str);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "ints");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    ks_json_writer_int (&w, ints[i]);
  ks_json_writer_end_array (&w);
  ks_json_writer_key (&w, "doubles");
  ks_json_writer_begin_array (&w);
  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    ks_json_writer_double (&w, doubles[i]);
  ks_json_writer_double (&w, NAN);
  ks_json_writer_double (&w, INFINITY);
  ks_json_writer_end_array (&w);
  ks_json_writer_member_bool (&w, "t", TRUE);
  ks_json_writer_member_bool (&w, "f", FALSE);
  ks_json_writer_member_null (&w, "n");
  ks_json_writer_member_int (&w, "i", -7);
  ks_json_writer_member_double (&w, "d", 2.25);
  ks_json_writer_member_timestamp (&w, "ts", 1740830400);
  ks_json_writer_member_timestamp (&w, "none", 0);
  ks_json_writer_key (&w, "raw");
  ks_json_writer_raw (&w, "{\"a\":[1,2]}");
  ks_json_writer_key (&w, "empty_object");
  ks_json_writer_begin_object (&w);
  ks_json_writer_end_object (&w);
  ks_json_writer_key (&w, "empty_array");
  ks_json_writer_begin_array (&w);
  ks_json_writer_end_array (&w);
  ks_json_writer_end_object (&w);

  root = parse (str->str);
  obj = json_node_get_object (root);

  arr = json_object_get_array_member (obj, "ints");
  g_assert_cmpuint (json_array_get_length (arr), ==, G_N_ELEMENTS (ints));
  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    g_assert_cmpint (json_array_get_int_element (arr, i), ==, ints[i]);

  arr = json_object_get_array_member (obj, "doubles");
  g_assert_cmpuint (json_array_get_length (arr), ==, G_N_ELEMENTS (doubles) + 2);
  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    {
      JsonNode *n = json_array_get_element (arr, i);
      double got = json_node_get_double (n);
      /* Seven decimal places (about 1 cm) are kept; large values exactly enough. */
      double tolerance = MAX (0.51e-7, fabs (doubles[i]) * 1e-15);
      if (fabs (got - doubles[i]) > tolerance)
        g_test_fail_printf ("double %.10g written as %.10g in %s", doubles[i], got, str->str);
    }
  g_assert_true (json_array_get_null_element (arr, G_N_ELEMENTS (doubles)));
  g_assert_true (json_array_get_null_element (arr, G_N_ELEMENTS (doubles) + 1));

  g_assert_true (json_object_get_boolean_member (obj, "t"));
  g_assert_false (json_object_get_boolean_member (obj, "f"));
  g_assert_true (json_object_get_null_member (obj, "n"));
  g_assert_cmpint (json_object_get_int_member (obj, "i"), ==, -7);
  g_assert_cmpfloat (json_object_get_double_member (obj, "d"), ==, 2.25);
  g_assert_cmpstr (json_object_get_string_member (obj, "ts"), ==, "2025-03-01T12:00:00Z");
  g_assert_true (json_object_get_null_member (obj, "none"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (obj, "raw"), "a")), ==, 2);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (obj, "empty_object")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "empty_array")), ==, 0);
}

/* An object written with keys given encoded (KS_JSON_WRITER_KEY) is the same text
 * as with ks_json_writer_key, from an empty string that grows at every step and
 * from one with room to spare (the writer appends in place when there is room). */
static void
write_keys_object (KsJsonWriter *w, gboolean encoded)
{
  ks_json_writer_begin_object (w);
  for (guint i = 0; i < 40; i++)
    {
      if (encoded)
        KS_JSON_WRITER_KEY (w, "category_id");
      else
        ks_json_writer_key (w, "category_id");
      ks_json_writer_int (w, (gint64) i * 1000003 - 7);
      if (encoded)
        KS_JSON_WRITER_KEY (w, "title");
      else
        ks_json_writer_key (w, "title");
      ks_json_writer_string (w, i % 3 == 0 ? NULL : "Pothole \"deep\"\n by the \xc3\xa9" "cole");
      if (encoded)
        KS_JSON_WRITER_KEY (w, "updated");
      else
        ks_json_writer_key (w, "updated");
      ks_json_writer_timestamp (w, i % 4 == 0 ? 0 : 1740830400 + i);
    }
  if (encoded)
    KS_JSON_WRITER_KEY (w, "list");
  else
    ks_json_writer_key (w, "list");
  ks_json_writer_begin_array (w);
  ks_json_writer_double (w, -1.2577999);
  ks_json_writer_bool (w, TRUE);
  ks_json_writer_end_array (w);
  ks_json_writer_end_object (w);
}

static void
test_json_encoded_key (void)
{
  g_autoptr(GString) plain = g_string_sized_new (1);
  g_autoptr(GString) small = g_string_sized_new (1);
  g_autoptr(GString) roomy = g_string_sized_new (65536);
  g_autoptr(JsonNode) root = NULL;
  KsJsonWriter w;

  ks_json_writer_init (&w, plain);
  write_keys_object (&w, FALSE);
  ks_json_writer_init (&w, small);
  write_keys_object (&w, TRUE);
  ks_json_writer_init (&w, roomy);
  write_keys_object (&w, TRUE);

  g_assert_cmpstr (small->str, ==, plain->str);
  g_assert_cmpstr (roomy->str, ==, plain->str);
  g_assert_cmpuint (small->len, ==, strlen (small->str));
  g_assert_true (g_str_has_prefix (plain->str, "{\"category_id\":-7,\"title\":null,\"updated\":null,"
                                               "\"category_id\":999996,\"title\":\"Pothole \\\"deep\\\"\\n by"));
  g_assert_true (g_str_has_suffix (plain->str, ",\"list\":[-1.2577999,true]}"));
  root = parse (plain->str);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
}

/* A kept object reopened: members added after its own, in an array of
 * them, with what follows in its right place (commas included). */
static void
test_json_reopen_object (void)
{
  g_autoptr(GString) str = g_string_new (NULL);
  g_autoptr(JsonNode) root = NULL;
  KsJsonWriter w;

  ks_json_writer_init (&w, str);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "items");
  ks_json_writer_begin_array (&w);
  ks_json_writer_reopen_object (&w, "{\"id\":1,\"t\":\"a}\"}", strlen ("{\"id\":1,\"t\":\"a}\"}"));
  ks_json_writer_key (&w, "reporter");
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "name", "Ann");
  ks_json_writer_end_object (&w);
  ks_json_writer_end_object (&w);
  ks_json_writer_reopen_object (&w, "{\"id\":2}", strlen ("{\"id\":2}"));
  ks_json_writer_member_null (&w, "reporter");
  ks_json_writer_end_object (&w);
  ks_json_writer_reopen_object (&w, "{}", 2);
  ks_json_writer_member_int (&w, "only", 3);
  ks_json_writer_end_object (&w);
  ks_json_writer_end_array (&w);
  ks_json_writer_member_int (&w, "after", 4);
  ks_json_writer_end_object (&w);

  g_assert_cmpstr (str->str, ==,
                   "{\"items\":[{\"id\":1,\"t\":\"a}\",\"reporter\":{\"name\":\"Ann\"}},"
                   "{\"id\":2,\"reporter\":null},{\"only\":3}],\"after\":4}");
  g_assert_cmpuint (w.depth, ==, 0);
  root = parse (str->str);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
}

static void
test_json_escape_append (void)
{
  g_autoptr(GString) str = g_string_new ("x=");

  ks_json_escape_append (str, "a\"b\\c\nd", -1);
  g_assert_cmpstr (str->str, ==, "x=\"a\\\"b\\\\c\\nd\"");
  g_string_truncate (str, 0);
  ks_json_escape_append (str, "abc\0def", 7);
  g_assert_cmpstr (str->str, ==, "\"abc\\u0000def\"");
}

/* The in-process test clock moves "now" by its offset, to the second, and
 * back to the real time at 0. */
static void
test_time_test_offset (void)
{
  gint64 real = g_get_real_time () / G_USEC_PER_SEC;

  ks_time_set_test_offset (-90 * 86400.0 + 0.5);
  g_assert_cmpint (llabs (ks_time_now () - (real - 90 * 86400)), <=, 1);
  ks_time_set_test_offset (3600);
  g_assert_cmpint (llabs (ks_time_now () - (real + 3600)), <=, 1);
  ks_time_set_test_offset (0);
  g_assert_cmpint (llabs (ks_time_now () - g_get_real_time () / G_USEC_PER_SEC), <=, 1);
}

static void
test_time_iso (void)
{
  static const struct {
    gint64 t;
    const char *iso;
  } cases[] = {
    { 0, "1970-01-01T00:00:00Z" },
    { 1740830400, "2025-03-01T12:00:00Z" },
    { 951782400, "2000-02-29T00:00:00Z" },
    { 1709251199, "2024-02-29T23:59:59Z" },
    { 4102444799, "2099-12-31T23:59:59Z" },
  };
  gint64 t = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char buf[KS_TIME_ISO_BUF_SIZE];
      g_autofree char *s = ks_time_to_iso (cases[i].t);

      g_assert_cmpuint (ks_time_format_iso (cases[i].t, buf), ==, 20);
      g_assert_cmpstr (buf, ==, cases[i].iso);
      g_assert_cmpstr (s, ==, cases[i].iso);
      g_assert_true (ks_time_parse_iso (cases[i].iso, &t));
      g_assert_cmpint (t, ==, cases[i].t);
    }

  /* The hand-written calendar agrees with GLib's over two centuries. */
  for (gint64 u = -86400LL * 365 * 30; u < 4102444800LL; u += 86400 * 7 + 3607)
    {
      char buf[KS_TIME_ISO_BUF_SIZE];
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (u);
      g_autofree char *expected = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");

      ks_time_format_iso (u, buf);
      g_assert_cmpstr (buf, ==, expected);
    }

  /* Round trip of the present. */
  {
    gint64 now = ks_time_now ();
    g_autofree char *s = ks_time_to_iso (now);
    g_assert_true (ks_time_parse_iso (s, &t));
    g_assert_cmpint (t, ==, now);
    g_assert_cmpint (llabs (now - g_get_real_time () / G_USEC_PER_SEC), <=, 1);
  }

  /* Plain dates are UTC midnight; offsets are honoured. */
  g_assert_true (ks_time_parse_iso ("2025-03-01", &t));
  g_assert_cmpint (t, ==, 1740787200);
  g_assert_true (ks_time_parse_iso ("2025-03-01T13:00:00+01:00", &t));
  g_assert_cmpint (t, ==, 1740830400);
  g_assert_true (ks_time_parse_iso ("2025-03-01T12:00:00.5Z", &t));
  g_assert_cmpint (t, ==, 1740830400);

  /* Junk is refused. */
  static const char *junk[] = {
    "", "yesterday", "2025-13-01", "2025-02-30", "2025-03-01T25:00:00Z", "2025/03/01",
    "2025-03-01T12:00:00", "12:00", "2025-03-01 garbage", "'; DROP TABLE reports; --",
  };
  for (guint i = 0; i < G_N_ELEMENTS (junk); i++)
    if (ks_time_parse_iso (junk[i], &t))
      g_test_fail_printf ("“%s” was taken as a time", junk[i]);
  g_assert_false (ks_time_parse_iso (NULL, &t));
  {
    g_autofree char *longer = g_strnfill (100, '1');
    g_assert_false (ks_time_parse_iso (longer, &t));
  }
}

static void
test_bbox_parse (void)
{
  KsBBox b;
  static const char *junk[] = {
    "", "1,2,3", "1,2,3,4,5", "a,b,c,d", "1,2,3,x", "1,,3,4", "1,2,3,4,",
    "-1.3,51.7,-1.2", "nan,1,2,3", "inf,1,2,3", "1,2,3,1e999", "0,-91,1,1",
    "-181,0,0,1", "0,0,181,1", "0,0,1,91", "5,5,1,1", "0,5,1,1", "1;2;3;4",
    "0x1,2,3,4", "1 2,3,4", "'; DROP TABLE reports; --",
  };

  g_assert_true (ks_bbox_parse ("-1.31,51.71,-1.18,51.79", &b));
  g_assert_cmpfloat (b.min_lon, ==, -1.31);
  g_assert_cmpfloat (b.min_lat, ==, 51.71);
  g_assert_cmpfloat (b.max_lon, ==, -1.18);
  g_assert_cmpfloat (b.max_lat, ==, 51.79);
  g_assert_true (ks_bbox_parse (" -1 , 51 , 0 , 52 ", &b));
  g_assert_cmpfloat (b.max_lat, ==, 52.0);
  g_assert_true (ks_bbox_parse ("-180,-90,180,90", &b));
  g_assert_true (ks_bbox_parse ("1,1,1,1", &b));

  for (guint i = 0; i < G_N_ELEMENTS (junk); i++)
    {
      KsBBox untouched = { 7, 7, 7, 7 };
      if (ks_bbox_parse (junk[i], &untouched))
        g_test_fail_printf ("bbox “%s” was accepted", junk[i]);
    }
  g_assert_false (ks_bbox_parse (NULL, &b));
}

static void
test_geo (void)
{
  double x, y, lat, lon;

  g_assert_true (ks_geo_valid_lat_lon (51.75, -1.25));
  g_assert_false (ks_geo_valid_lat_lon (91, 0));
  g_assert_false (ks_geo_valid_lat_lon (0, -180.5));
  g_assert_false (ks_geo_valid_lat_lon (NAN, 0));

  ks_geo_to_mercator (0, 0, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (y, 0.5, 1e-12);
  ks_geo_to_mercator (51.7521, -1.2578, &x, &y);
  ks_geo_from_mercator (x, y, &lat, &lon);
  g_assert_cmpfloat_with_epsilon (lat, 51.7521, 1e-9);
  g_assert_cmpfloat_with_epsilon (lon, -1.2578, 1e-9);
  g_assert_cmpfloat (y, <, 0.5); /* north is up */

  /* Carfax to Headington: about 2.74 km (haversine on a 6371 km sphere). */
  g_assert_cmpfloat_with_epsilon (ks_geo_distance_m (51.7520, -1.2577, 51.7600, -1.2200),
                                  2743.17, 1.0);
  g_assert_cmpfloat (ks_geo_distance_m (51.75, -1.25, 51.75, -1.25), ==, 0);
}

static void
check_password (const char *password, guint min_length, const char * const *words,
                gboolean want_ok, const char *reason_part)
{
  KsPasswordVerdict v;

  ks_password_check (password, min_length, words, &v);
  if (v.acceptable != want_ok)
    g_test_fail_printf ("password “%s”: acceptable=%d, expected %d (%s)", password, v.acceptable,
             want_ok, v.reason ? v.reason : "no reason");
  if (v.acceptable != want_ok)
    ;
  else if (want_ok)
    g_assert_null (v.reason);
  else
    {
      g_assert_nonnull (v.reason);
      g_assert_true (g_str_has_suffix (v.reason, "."));
      if (reason_part && strstr (v.reason, reason_part) == NULL)
        g_test_fail_printf ("password “%s”: reason “%s” does not mention “%s”", password, v.reason,
                 reason_part);
    }
  ks_password_verdict_clear (&v);
  g_assert_null (v.reason);
}

static void
test_password_policy (void)
{
  const char *words[] = { "jane.rowlands@oxford.gov.uk", "Jane Rowlands", NULL };

  /* Too short, with the length in the sentence. */
  check_password ("x7#Qp", 8, NULL, FALSE, "8");
  check_password ("Zq7!vB2", 8, NULL, FALSE, "at least 8");
  /* The floor is 6 even when the council asks for less. */
  check_password ("Zq7!v", 2, NULL, FALSE, "at least 6");
  /* Common passwords are weak. */
  check_password ("password123", 8, NULL, FALSE, "guess");
  check_password ("password", 8, NULL, FALSE, NULL);
  check_password ("qwertyuiop", 8, NULL, FALSE, NULL);
  check_password ("12345678", 8, NULL, FALSE, NULL);
  /* A long passphrase is fine. */
  check_password ("correct horse battery staple", 8, NULL, TRUE, NULL);
  check_password ("street-lamp-orange-42", 8, NULL, TRUE, NULL);
  check_password ("quiet-meadow-lantern-7391", 12, words, TRUE, NULL);
  /* Passwords built from the user's own email or name are weak. */
  check_password ("janerowlands", 8, words, FALSE, "guess");
  check_password ("rowlands2024", 8, words, FALSE, NULL);
  /* ... but the same letters are fine for someone else. */
  check_password ("janerowlands2024!", 8, NULL, TRUE, NULL);
  /* A stricter council minimum applies. */
  check_password ("street-lamp-orange-42", 30, NULL, FALSE, "at least 30");
  /* bcrypt reads 72 bytes: longer is refused, not cut. Bytes, not letters. */
  {
    g_autofree char *most = g_strdup_printf ("%s-%s", "quiet-meadow-lantern-7391-amber-harbour-violet",
                                             "spruce-cobalt-walrus-1234");
    g_autofree char *over = g_strconcat (most, "x", NULL);
    g_autofree char *accents = NULL;
    GString *e = g_string_new (NULL);

    g_assert_cmpuint (strlen (most), ==, KS_PASSWORD_MAX_BYTES);
    check_password (most, 8, NULL, TRUE, NULL);
    check_password (over, 8, NULL, FALSE, "at most 72 bytes");
    /* 40 letters, 80 bytes. */
    for (guint i = 0; i < 40; i++)
      g_string_append (e, i % 3 ? "é" : "ø");
    accents = g_string_free (e, FALSE);
    check_password (accents, 8, NULL, FALSE, "72 bytes");
  }
  /* The product's and the council's names count as known words. */
  {
    const char *council[] = { "jane.rowlands@oxford.gov.uk", "Jane Rowlands", "Oxford City Council", "Oxford", NULL };
    check_password ("Kerbside2026!", 8, NULL, FALSE, "guess");
    check_password ("oxfordcity2026", 8, council, FALSE, "guess");
    check_password ("oxfordcitycouncil", 8, council, FALSE, "guess");
    /* ... and only those. */
    check_password ("oxfordcitycouncil", 8, NULL, TRUE, NULL);
  }
  /* Not text. */
  check_password ("bad\xff\xfeutf8-password", 8, NULL, FALSE, NULL);
}

static void
test_error_mapping (void)
{
  static const struct {
    KsErrorCode code;
    guint status;
    const char *wire;
  } cases[] = {
    { KS_ERROR_INVALID, 422, "invalid" },
    { KS_ERROR_UNAUTHORIZED, 401, "unauthorized" },
    { KS_ERROR_FORBIDDEN, 403, "forbidden" },
    { KS_ERROR_NOT_FOUND, 404, "not_found" },
    { KS_ERROR_CONFLICT, 409, "conflict" },
    { KS_ERROR_TOO_LARGE, 413, "too_large" },
    { KS_ERROR_THROTTLED, 429, "throttled" },
    { KS_ERROR_UNAVAILABLE, 503, "unavailable" },
    { KS_ERROR_FAILED, 500, "internal" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpuint (ks_error_http_status (cases[i].code), ==, cases[i].status);
      g_assert_cmpstr (ks_error_wire_code (cases[i].code), ==, cases[i].wire);
      g_assert_cmpint (ks_error_from_http_status (cases[i].status), ==, cases[i].code);
    }
  g_assert_cmpint (ks_error_from_http_status (400), ==, KS_ERROR_INVALID);
  g_assert_cmpint (ks_error_from_http_status (418), ==, KS_ERROR_FAILED);
  g_assert_true (KS_ERROR != 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Report every failed check of a test, not only the first. */
  g_test_set_nonfatal_assertions ();

  g_test_add_func ("/common/permissions/default-roles", test_default_roles_table);
  g_test_add_func ("/common/permissions/ids", test_permission_ids);
  g_test_add_func ("/common/states/table", test_states_table);
  g_test_add_func ("/common/json-writer/escaping", test_json_escaping);
  g_test_add_func ("/common/json-writer/numbers", test_json_numbers);
  g_test_add_func ("/common/json-writer/escape-append", test_json_escape_append);
  g_test_add_func ("/common/json-writer/encoded-key", test_json_encoded_key);
  g_test_add_func ("/common/json-writer/reopen-object", test_json_reopen_object);
  g_test_add_func ("/common/time/iso", test_time_iso);
  g_test_add_func ("/common/time/test-offset", test_time_test_offset);
  g_test_add_func ("/common/geo/bbox", test_bbox_parse);
  g_test_add_func ("/common/geo/helpers", test_geo);
  g_test_add_func ("/common/password-policy", test_password_policy);
  g_test_add_func ("/common/error/mapping", test_error_mapping);

  return g_test_run ();
}
