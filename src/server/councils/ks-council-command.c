/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-council-command.c: `kerbside-server council create|edit|list`: a council and
 * its settings, created before anyone can sign in to it. */
#define G_LOG_DOMAIN "kerbside-server"

#include "councils/ks-council-command.h"
#include "councils/ks-council.h"
#include "ks-command-store.h"
#include "ks-store-open.h"
#include "ks-time.h"

#include <stdlib.h>
#include <string.h>

/* "yes"/"no" (also true/false, on/off, 1/0); -1 when absent, -2 when neither. */
static int
parse_flag (const char *text)
{
  if (text == NULL)
    return -1;
  if (g_ascii_strcasecmp (text, "yes") == 0 || g_ascii_strcasecmp (text, "true") == 0 ||
      g_ascii_strcasecmp (text, "on") == 0 || strcmp (text, "1") == 0)
    return 1;
  if (g_ascii_strcasecmp (text, "no") == 0 || g_ascii_strcasecmp (text, "false") == 0 ||
      g_ascii_strcasecmp (text, "off") == 0 || strcmp (text, "0") == 0)
    return 0;
  return -2;
}

static int
list_councils (KsStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  if (!ks_store_councils_list_bodies (store, &ids, &error))
    {
      g_printerr ("kerbside-server council: %s\n", error->message);
      return 1;
    }
  g_print ("%-5s %-16s %-30s %-5s %-6s %-6s %-28s %s\n", "ID", "SLUG", "NAME", "2FA",
           "PWLEN", "RADIUS", "RETENTION (REPORTERS/AUDIT/STAFF)", "CONTACT, PUBLIC URL");
  for (guint i = 0; i < ids->len; i++)
    {
      g_auto(KsBodyRow) b = { 0 };
      g_autofree char *retention = NULL;

      if (!ks_store_admin_get_body (store, g_array_index (ids, gint64, i), &b, &error))
        {
          g_printerr ("kerbside-server council: %s\n", error->message);
          return 1;
        }
      retention = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%"
                                   G_GINT64_FORMAT " days", b.retention_reporter_days,
                                   b.retention_audit_days, b.retention_staff_days);
      g_print ("%-5" G_GINT64_FORMAT " %-16s %-30s %-5s %-6" G_GINT64_FORMAT " %-6"
               G_GINT64_FORMAT " %-28s %s, %s\n", b.id, b.slug, b.name,
               b.require_2fa ? "yes" : "no", b.password_min_length, b.duplicate_radius,
               retention, b.email ? b.email : "-", b.public_url ? b.public_url : "-");
    }
  return 0;
}

int
ks_council_command (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx =
    g_option_context_new ("create|edit|list - councils and their settings");
  g_autoptr(GError) error = NULL;
  g_autoptr(KsStore) store = NULL;
  g_auto(KsCommandStore) where = { 0 };
  g_autofree char *council = NULL, *name = NULL, *slug = NULL, *email = NULL;
  g_autofree char *url = NULL, *two_factor = NULL;
  int password = -1, radius = -1, keep_reporters = -1, keep_audit = -1, keep_staff = -1;
  KsBodySettings s = KS_BODY_SETTINGS_UNCHANGED;
  const char *action;
  gint64 id = 0;
  int status;
  GOptionEntry entries[] = {
    KS_COMMAND_STORE_OPTIONS (&where),
    { "council", 0, 0, G_OPTION_ARG_STRING, &council, "edit: the council's id or slug", "ID|SLUG" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The council's name, e.g. \"Oxford City Council\"", "NAME" },
    { "slug", 0, 0, G_OPTION_ARG_STRING, &slug, "Its short name in addresses (lower-case letters, digits, hyphens)", "SLUG" },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, "The contact address residents' emails come from (\"\" clears it)", "ADDRESS" },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &url, "The council's public site for residents (\"\" clears it)", "URL" },
    { "require-2fa", 0, 0, G_OPTION_ARG_STRING, &two_factor, "Whether every member of staff must use two-factor authentication", "yes|no" },
    { "password-min-length", 0, 0, G_OPTION_ARG_INT, &password, "Shortest password allowed (6 to 64; default 8)", "N" },
    { "duplicate-radius", 0, 0, G_OPTION_ARG_INT, &radius, "Metres new categories look for duplicates within (default 50)", "M" },
    { "retain-reporters-days", 0, 0, G_OPTION_ARG_INT, &keep_reporters, "Days reporters' details are kept after a report is closed (0: kept)", "DAYS" },
    { "retain-audit-days", 0, 0, G_OPTION_ARG_INT, &keep_audit, "Days the audit log is kept (0: kept)", "DAYS" },
    { "deactivate-staff-days", 0, 0, G_OPTION_ARG_INT, &keep_staff, "Days after which an unused staff account is deactivated (0: never)", "DAYS" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("kerbside-server council: %s\n", error->message);
      return 2;
    }
  action = argc > 1 ? argv[1] : NULL;
  if (action == NULL || argc > 2 ||
      (strcmp (action, "create") != 0 && strcmp (action, "edit") != 0 &&
       strcmp (action, "list") != 0))
    {
      g_printerr ("kerbside-server council: say create, edit or list, e.g.\n"
                  "  kerbside-server council create --db FILE --name \"Oxford City Council\" --slug oxford\n"
                  "  kerbside-server council edit --db FILE --council oxford --require-2fa yes\n"
                  "  kerbside-server council list --db FILE\n");
      return 2;
    }
  s.require_2fa = parse_flag (two_factor);
  if (s.require_2fa == -2)
    {
      g_printerr ("kerbside-server council: --require-2fa takes yes or no.\n");
      return 2;
    }
  if ((store = ks_command_open_store ("council", &where, &status)) == NULL)
    return status;
  if (strcmp (action, "list") == 0)
    return list_councils (store);

  s.name = name ? g_strstrip (name) : NULL;
  s.slug = slug;
  s.email = email;
  s.public_url = url;
  s.password_min_length = password;
  s.duplicate_radius = radius;
  s.retention_reporter_days = keep_reporters;
  s.retention_audit_days = keep_audit;
  s.retention_staff_days = keep_staff;
  if (strcmp (action, "create") == 0)
    {
      if (council != NULL)
        {
          g_printerr ("kerbside-server council create: --council is for edit; a new council "
                      "is named with --name and --slug.\n");
          return 2;
        }
      if (!ks_store_begin_write (store, &error) ||
          !ks_council_create (store, NULL, "command line", &s, &id, &error) ||
          !ks_store_commit (store, &error))
        {
          ks_store_rollback (store);
          g_printerr ("kerbside-server council create: %s\n", error->message);
          return 1;
        }
      g_print ("Council %" G_GINT64_FORMAT " “%s” (%s) is created, with the default roles. "
               "Next: import its boundaries (kerbside-server boundaries import), and create "
               "its first administrator.\n", id, s.name, s.slug);
      return 0;
    }

  /* edit */
  if ((id = ks_command_find_council (store, "council edit", council)) == 0)
    return council == NULL ? 2 : 1;
  if (name == NULL && slug == NULL && email == NULL && url == NULL && s.require_2fa < 0 &&
      password < 0 && radius < 0 && keep_reporters < 0 && keep_audit < 0 &&
      keep_staff < 0)
    {
      g_printerr ("kerbside-server council edit: say what to change (see --help).\n");
      return 2;
    }
  if (!ks_store_begin_write (store, &error) ||
      !ks_council_edit (store, NULL, "command line", id, &s, &error) ||
      !ks_store_commit (store, &error))
    {
      ks_store_rollback (store);
      g_printerr ("kerbside-server council edit: %s\n", error->message);
      return 1;
    }
  g_print ("Council %" G_GINT64_FORMAT " is changed.\n", id);
  return 0;
}

typedef struct {
  gint64 started;
} Progress;

static void
show_progress (gint64   done,
               gint64   changed,
               gpointer data)
{
  Progress *p = data;

  g_print ("Wards of reports: %" G_GINT64_FORMAT " checked, %" G_GINT64_FORMAT
           " changed (%.1f s)\n", done, changed,
           (g_get_monotonic_time () - p->started) / 1e6);
}

static char *
import_details (const char *area,
                const char *wards,
                const char *property,
                guint       n_wards)
{
  g_autoptr(GString) s = g_string_new (NULL);
  KsJsonWriter w;

  ks_json_writer_init (&w, s);
  ks_json_writer_begin_object (&w);
  if (area != NULL)
    ks_json_writer_member_string (&w, "area_file", area);
  ks_json_writer_member_string (&w, "wards_file", wards);
  ks_json_writer_member_string (&w, "name_property", property);
  ks_json_writer_member_int (&w, "wards", n_wards);
  ks_json_writer_member_string (&w, "via", "command line");
  ks_json_writer_end_object (&w);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

int
ks_boundaries_command (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx =
    g_option_context_new ("import - a council's area and wards from GeoJSON");
  g_autoptr(GError) error = NULL;
  g_autoptr(KsStore) store = NULL;
  g_autoptr(KsBoundarySet) set = NULL;
  g_auto(KsCommandStore) where = { 0 };
  g_autofree char *council = NULL, *area = NULL, *wards = NULL, *property = NULL;
  g_autofree char *area_json = NULL, *wards_json = NULL, *details = NULL;
  gint64 id, checked = 0, changed = 0;
  Progress progress = { g_get_monotonic_time () };
  int status;
  GOptionEntry entries[] = {
    KS_COMMAND_STORE_OPTIONS (&where),
    { "council", 0, 0, G_OPTION_ARG_STRING, &council, "The council's id or slug", "ID|SLUG" },
    { "area", 0, 0, G_OPTION_ARG_FILENAME, &area, "GeoJSON FeatureCollection of the council's area (default: the union of the wards)", "FILE" },
    { "wards", 0, 0, G_OPTION_ARG_FILENAME, &wards, "GeoJSON FeatureCollection of its wards (Polygon or MultiPolygon features)", "FILE" },
    { "name-property", 0, 0, G_OPTION_ARG_STRING, &property, "The feature property that holds a ward's name (e.g. WD23NM, NAME, name)", "PROP" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("kerbside-server boundaries: %s\n", error->message);
      return 2;
    }
  if (argc != 2 || strcmp (argv[1], "import") != 0 || wards == NULL || property == NULL)
    {
      g_printerr ("kerbside-server boundaries: give the council, its wards and the property "
                  "that names them, e.g.\n"
                  "  kerbside-server boundaries import --db FILE --council oxford "
                  "--area area.geojson --wards wards.geojson --name-property WD23NM\n");
      return 2;
    }
  if ((area != NULL && !g_file_get_contents (area, &area_json, NULL, &error)) ||
      !g_file_get_contents (wards, &wards_json, NULL, &error))
    {
      g_printerr ("kerbside-server boundaries import: %s\n", error->message);
      return 1;
    }
  set = ks_boundary_set_new_from_geojson (area_json, wards_json, property, &error);
  if (set == NULL)
    {
      g_printerr ("kerbside-server boundaries import: %s Nothing was imported.\n",
                  error->message);
      return 1;
    }
  if ((store = ks_command_open_store ("boundaries", &where, &status)) == NULL)
    return status;
  if ((id = ks_command_find_council (store, "boundaries import", council)) == 0)
    return council == NULL ? 2 : 1;
  g_print ("Read %u wards%s%s%s.\n", ks_boundary_set_n_wards (set),
           ks_boundary_set_area_name (set) ? " of “" : "",
           ks_boundary_set_area_name (set) ? ks_boundary_set_area_name (set) : "",
           ks_boundary_set_area_name (set) ? "”" : "");
  details = import_details (area, wards, property, ks_boundary_set_n_wards (set));
  if (!ks_boundaries_import (store, id, set, "command line", details, show_progress,
                             &progress, &checked, &changed, &error))
    {
      g_printerr ("kerbside-server boundaries import: %s\n", error->message);
      return 1;
    }
  g_print ("The boundaries of council %" G_GINT64_FORMAT " are imported: %u wards; %"
           G_GINT64_FORMAT " reports checked, %" G_GINT64_FORMAT " given another ward. "
           "Running servers use them from their next report.\n", id,
           ks_boundary_set_n_wards (set), checked, changed);
  return 0;
}
