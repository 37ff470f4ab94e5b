/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-abuse-command.c: `kerbside-server abuse list|add|remove`: a council's abuse
 * list from the command line (the staff API's /api/v1/abuse-list does the same). */
#define G_LOG_DOMAIN "kerbside-server"

#include "councils/ks-abuse-command.h"
#include "councils/ks-abuse-list.h"
#include "councils/ks-council-command.h"
#include "ks-time.h"

#include <string.h>

static int
fail (const char *message)
{
  g_printerr ("kerbside-server abuse: %s\n", message);
  return 1;
}

static int
list_entries (KsStore *store, gint64 body_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) entries = NULL;

  if (!ks_store_abuse_list (store, body_id, &entries, &error))
    return fail (error->message);
  g_print ("%-5s %-7s %-32s %-20s %s\n", "ID", "KIND", "VALUE", "ADDED", "REASON");
  for (guint i = 0; i < entries->len; i++)
    {
      const KsAbuseEntry *e = &g_array_index (entries, KsAbuseEntry, i);
      char when[KS_TIME_ISO_BUF_SIZE];

      ks_time_format_iso (e->created, when);
      g_print ("%-5" G_GINT64_FORMAT " %-7s %-32s %-20s %s\n", e->id, e->kind, e->value, when,
               e->reason);
    }
  return 0;
}

int
ks_abuse_command (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx =
    g_option_context_new ("list|add|remove - who may not report to a council");
  g_autoptr(GError) error = NULL;
  g_autoptr(KsStore) store = NULL;
  g_auto(KsCommandStore) where = { 0 };
  g_autofree char *council = NULL, *email = NULL, *phone = NULL, *domain = NULL;
  g_autofree char *reason = NULL, *value = NULL, *details = NULL;
  gint64 remove_id = 0, body_id, id = 0;
  const char *action, *kind = NULL, *given = NULL;
  gboolean ok;
  int status;
  GOptionEntry entries[] = {
    KS_COMMAND_STORE_OPTIONS (&where),
    { "council", 0, 0, G_OPTION_ARG_STRING, &council, "The council (id or slug)", "ID|SLUG" },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, "add: an email address", "ADDRESS" },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, "add: a phone number", "NUMBER" },
    { "domain", 0, 0, G_OPTION_ARG_STRING, &domain, "add: an email domain (and its subdomains)", "DOMAIN" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "add: why (kept with the entry)", "TEXT" },
    { "id", 0, 0, G_OPTION_ARG_INT64, &remove_id, "remove: the entry's id (see list)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("kerbside-server abuse: %s\n", error->message);
      return 2;
    }
  action = argc == 2 ? argv[1] : NULL;
  if (action == NULL ||
      (strcmp (action, "list") != 0 && strcmp (action, "add") != 0 &&
       strcmp (action, "remove") != 0))
    {
      g_printerr ("kerbside-server abuse: say list, add or remove, e.g.\n"
                  "  kerbside-server abuse add --db FILE --council oxford --domain spam.example "
                  "--reason \"Fake reports\"\n"
                  "  kerbside-server abuse remove --db FILE --council oxford --id 3\n");
      return 2;
    }
  if ((store = ks_command_open_store ("abuse", &where, &status)) == NULL)
    return status;
  if ((body_id = ks_command_find_council (store, "abuse", council)) == 0)
    return 1;
  if (strcmp (action, "list") == 0)
    return list_entries (store, body_id);

  if (strcmp (action, "add") == 0)
    {
      if ((email != NULL) + (phone != NULL) + (domain != NULL) != 1)
        {
          g_printerr ("kerbside-server abuse add: give one of --email, --phone or --domain.\n");
          return 2;
        }
      kind = email ? "email" : phone ? "phone" : "domain";
      given = email ? email : phone ? phone : domain;
      if ((value = ks_abuse_normalise (kind, given, &error)) == NULL)
        return fail (error->message);
    }
  else if (remove_id <= 0)
    {
      g_printerr ("kerbside-server abuse remove: give the entry with --id (see abuse list).\n");
      return 2;
    }

  if (!ks_store_begin_write (store, &error))
    return fail (error->message);
  if (kind != NULL)
    {
      KsAbuseEntry e = { .kind = (char *) kind, .value = value, .reason = reason };

      details = ks_abuse_audit_details (&e, "command line");
      ok = ks_store_abuse_add (store, body_id, kind, value, reason, 0, &id, &error) &&
           (id == 0 || ks_store_audit (store, NULL, body_id, "abuse_list_add", "abuse_list", id,
                                       details, &error));
    }
  else
    {
      g_auto(KsAbuseEntry) removed = { 0 };
      gboolean found = FALSE;

      ok = ks_store_abuse_remove (store, body_id, remove_id, &removed, &found, &error);
      if (ok && found)
        {
          details = ks_abuse_audit_details (&removed, "command line");
          ok = ks_store_audit (store, NULL, body_id, "abuse_list_remove", "abuse_list", remove_id,
                               details, &error);
          id = remove_id;
        }
    }
  if (!ok || !ks_store_commit (store, &error))
    {
      ks_store_rollback (store);
      return fail (error->message);
    }
  if (id == 0)
    return fail (kind != NULL ? "the abuse list has that already." : "there is no such entry.");
  g_print ("%s entry %" G_GINT64_FORMAT "\n", kind != NULL ? "Added" : "Removed", id);
  return 0;
}
