/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-staff-command.c: `kerbside-server staff create|list`: staff accounts from the
 * command line, above all the first platform operator's and a new council's
 * first administrator's, before anyone can sign in to create them. The password
 * is read from standard input or a prompt, never from the command line (every
 * user of the machine can read that), and the council's password policy holds
 * as it does in the staff API. */
#define G_LOG_DOMAIN "kerbside-server"

#include "councils/ks-staff-command.h"
#include "api/ks-api-admin-util.h"
#include "auth/ks-password-hash.h"
#include "ks-command-store.h"
#include "ks-json-writer.h"
#include "ks-password-policy.h"
#include "ks-time.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int
fail (const char *action,
      const char *message)
{
  g_printerr ("kerbside-server staff %s: %s\n", action, message);
  return 1;
}

/* One line of standard input, without its line end; NULL at its end. With a
 * terminal, prompt is shown and what is typed is not echoed. */
static char *
read_line (const char *prompt)
{
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  char *line = NULL;
  size_t size = 0;
  ssize_t n;

  if (tty)
    {
      g_printerr ("%s", prompt);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  n = getline (&line, &size, stdin);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  if (n < 0)
    {
      free (line);
      return NULL;
    }
  line[strcspn (line, "\r\n")] = '\0';
  return line;
}

static void
forget (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      free (secret);
    }
}

/* The password, from a prompt (typed twice) or the first line of standard input. */
static char *
read_password (const char *email)
{
  g_autofree char *prompt = g_strdup_printf ("Password for %s: ", email);
  char *password = read_line (prompt), *again;

  if (password == NULL || *password == '\0')
    {
      forget (password);
      g_printerr ("kerbside-server staff create: give the password on standard input (its "
                  "first line) or type it at the prompt; it is never given as an argument.\n");
      return NULL;
    }
  if (!isatty (STDIN_FILENO))
    return password;
  again = read_line ("The same password again: ");
  if (again == NULL || strcmp (again, password) != 0)
    {
      forget (password);
      forget (again);
      g_printerr ("kerbside-server staff create: the two passwords differ. Nothing was "
                  "changed.\n");
      return NULL;
    }
  forget (again);
  return password;
}

/* The ids of the council's roles named (by name, in any case, or by id). */
static GArray *
find_roles (KsStore     *store,
            gint64       body_id,
            char       **wanted,
            GString     *names,
            GError     **error)
{
  g_autoptr(GArray) rows = ks_admin_rows_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  KsAdminQuery q = KS_ADMIN_QUERY_INIT;
  gboolean more = FALSE;

  if (wanted == NULL)
    return g_steal_pointer (&ids);
  if (!ks_store_admin_list (store, KS_ADMIN_OBJECT_ROLE, body_id, &q, rows, &more, error))
    return NULL;
  for (char **w = wanted; *w != NULL; w++)
    {
      g_autofree char *want = g_utf8_casefold (*w, -1);
      gint64 found = 0;

      for (guint i = 0; i < rows->len && found == 0; i++)
        {
          const KsAdminRow *r = &g_array_index (rows, KsAdminRow, i);
          const char *name = ks_admin_row_get (r, "name")->text;
          g_autofree char *have = g_utf8_casefold (name, -1);
          g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, ks_admin_row_id (r));

          if (strcmp (have, want) == 0 || strcmp (*w, id_text) == 0)
            {
              found = ks_admin_row_id (r);
              g_string_append_printf (names, "%s%s", names->len ? ", " : "", name);
            }
        }
      if (found == 0)
        {
          g_autoptr(GString) known = g_string_new (NULL);

          for (guint i = 0; i < rows->len; i++)
            g_string_append_printf (known, "%s“%s”", i ? ", " : "",
                                    ks_admin_row_get (&g_array_index (rows, KsAdminRow, i),
                                                      "name")->text);
          g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                       "the council has no role “%s”. Its roles: %s.", *w, known->str);
          return NULL;
        }
      g_array_append_val (ids, found);
    }
  return g_steal_pointer (&ids);
}

/* The council's password policy, as the staff API applies it. */
static gboolean
check_password (KsStore     *store,
                gint64       body_id,
                const char  *password,
                const char  *email,
                const char  *name,
                GError     **error)
{
  g_autofree char *body_name = NULL, *body_area = NULL;
  const char *words[] = { email, name, NULL, NULL, NULL };
  guint min_length = KS_PASSWORD_MIN_LENGTH_DEFAULT;
  KsPasswordVerdict verdict;
  gboolean ok;

  if (body_id != 0 &&
      (!ks_store_admin_body_password_min_length (store, body_id, &min_length, error) ||
       !ks_store_auth_body_names (store, body_id, &body_name, &body_area, error)))
    return FALSE;
  words[2] = body_name;
  words[3] = body_name ? body_area : NULL;
  ks_password_check (password, min_length, words, &verdict);
  ok = verdict.acceptable;
  if (!ok)
    g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "%s", verdict.reason);
  ks_password_verdict_clear (&verdict);
  return ok;
}

static char *
create_details (const char *email,
                gboolean    superuser,
                const char *roles)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *address_hash = ks_privacy_address_hash (email);
  KsJsonWriter w;

  ks_json_writer_init (&w, s);
  ks_json_writer_begin_object (&w);
  ks_json_writer_member_string (&w, "email_sha256", address_hash);
  ks_json_writer_member_bool (&w, "is_superuser", superuser);
  ks_json_writer_member_string (&w, "roles", roles);
  ks_json_writer_member_string (&w, "via", "command line");
  ks_json_writer_end_object (&w);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static int
create_staff (KsStore    *store,
              gint64      body_id,
              const char *email,
              const char *name,
              char      **roles,
              gboolean    superuser,
              int         cost)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) role_ids = NULL;
  g_autoptr(GString) role_names = g_string_new (NULL);
  g_autofree char *hash = NULL, *details = NULL;
  char *password;
  gint64 id = 0;

  if ((role_ids = find_roles (store, body_id, roles, role_names, &error)) == NULL)
    return fail ("create", error->message);
  if ((password = read_password (email)) == NULL)
    return 1;
  if (check_password (store, body_id, password, email, name, &error))
    hash = ks_password_hash (password, cost, &error);
  forget (password);
  if (hash == NULL)
    {
      g_printerr ("kerbside-server staff create: %s Nothing was changed.\n", error->message);
      return 1;
    }
  details = create_details (email, superuser, role_names->str);
  if (!ks_store_begin_write (store, &error) ||
      !ks_store_councils_create_staff (store, body_id, email, name, hash, superuser, role_ids,
                                       &id, &error) ||
      !ks_store_audit (store, NULL, body_id, "create_staff", "user", id, details, &error) ||
      !ks_store_commit (store, &error))
    {
      ks_store_rollback (store);
      return fail ("create", error->message);
    }
  g_print ("Staff account %" G_GINT64_FORMAT " for %s (%s) is created%s%s%s.%s\n", id, email,
           name, role_names->len ? ", with the roles " : "", role_names->str,
           superuser ? (body_id ? ", a platform operator" : " as a platform operator") : "",
           superuser ? " Platform operators set up two-factor authentication when they first "
                       "sign in." : "");
  return 0;
}

static int
list_staff (KsStore *store,
            gint64   body_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = ks_admin_rows_new ();
  KsAdminQuery q = KS_ADMIN_QUERY_INIT;
  gboolean more = FALSE;

  if (!ks_store_admin_list (store, KS_ADMIN_OBJECT_USER, body_id, &q, rows, &more, &error) ||
      !ks_store_begin_write (store, &error) ||
      !ks_store_audit (store, NULL, body_id, "list_staff", "user", 0,
                       "{\"via\":\"command line\"}", &error) ||
      !ks_store_commit (store, &error))
    {
      ks_store_rollback (store);
      return fail ("list", error->message);
    }
  g_print ("%-5s %-7s %-6s %-6s %-32s %-24s %s\n", "ID", "COUNCIL", "ACTIVE", "SUPER", "EMAIL",
           "NAME", "ROLES");
  for (guint i = 0; i < rows->len; i++)
    {
      const KsAdminRow *r = &g_array_index (rows, KsAdminRow, i);
      const KsAdminValue *body = ks_admin_row_get (r, "body_id");
      const KsAdminValue *roles = ks_admin_row_get (r, "roles");
      g_autoptr(GString) names = g_string_new (NULL);
      g_autofree char *council = body->is_null ? g_strdup ("-")
        : g_strdup_printf ("%" G_GINT64_FORMAT, body->number);

      for (guint j = 0; roles->names != NULL && j < roles->names->len; j++)
        g_string_append_printf (names, "%s%s", j ? ", " : "",
                                (const char *) g_ptr_array_index (roles->names, j));
      g_print ("%-5" G_GINT64_FORMAT " %-7s %-6s %-6s %-32s %-24s %s\n", ks_admin_row_id (r),
               council, ks_admin_row_get (r, "active")->number ? "yes" : "no",
               ks_admin_row_get (r, "is_superuser")->number ? "yes" : "no",
               ks_admin_row_get (r, "email")->text, ks_admin_row_get (r, "name")->text,
               names->len ? names->str : "-");
    }
  return 0;
}

int
ks_staff_command (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx =
    g_option_context_new ("create|list - staff accounts and platform operators");
  g_autoptr(GError) error = NULL;
  g_autoptr(KsStore) store = NULL;
  g_auto(KsCommandStore) where = { 0 };
  g_autofree char *council = NULL, *body = NULL, *raw_email = NULL, *email = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) roles = NULL;
  gboolean superuser = FALSE;
  int cost = 12, status;
  gint64 body_id = 0;
  const char *action, *which;
  GOptionEntry entries[] = {
    KS_COMMAND_STORE_OPTIONS (&where),
    { "council", 0, 0, G_OPTION_ARG_STRING, &council, "The council: its id, slug or name (list: default every council)", "ID|SLUG|NAME" },
    { "body", 0, 0, G_OPTION_ARG_STRING, &body, "The same as --council", "ID" },
    { "email", 0, 0, G_OPTION_ARG_STRING, &raw_email, "create: the address they sign in with", "ADDRESS" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "create: their name", "NAME" },
    { "role", 0, 0, G_OPTION_ARG_STRING_ARRAY, &roles, "create: one of the council's roles, by name or id (repeat for more)", "ROLE" },
    { "superuser", 0, 0, G_OPTION_ARG_NONE, &superuser, "create: a platform operator, who may work on every council (without --council: of none)", NULL },
    { "bcrypt-cost", 0, 0, G_OPTION_ARG_INT, &cost, "bcrypt cost of the password's hash (default 12, as the server's)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("kerbside-server staff: %s\n", error->message);
      return 2;
    }
  action = argc == 2 ? argv[1] : NULL;
  if (action == NULL || (strcmp (action, "create") != 0 && strcmp (action, "list") != 0))
    {
      g_printerr ("kerbside-server staff: say create or list, e.g.\n"
                  "  kerbside-server staff create --db FILE --superuser --email operator@example.org "
                  "--name \"Platform Operator\"\n"
                  "  kerbside-server staff create --db FILE --council oxford --email "
                  "ada@oxford.example --name \"Ada Streets\" --role Administrators\n"
                  "  kerbside-server staff list --db FILE [--council oxford]\n"
                  "The password is read from standard input, or typed at the prompt.\n");
      return 2;
    }
  if (council != NULL && body != NULL)
    {
      g_printerr ("kerbside-server staff: give the council once, with --council or --body.\n");
      return 2;
    }
  which = council != NULL ? council : body;
  if (strcmp (action, "create") == 0)
    {
      if (raw_email != NULL)
        email = g_strstrip (g_ascii_strdown (raw_email, -1));
      if (name != NULL)
        g_strstrip (name);
      if (email == NULL || !ks_api_looks_like_email (email))
        {
          g_printerr ("kerbside-server staff create: give the address they sign in with, "
                      "e.g. --email ada@oxford.example.\n");
          return 2;
        }
      if (name == NULL || *name == '\0' || g_utf8_strlen (name, -1) > KS_API_MAX_NAME_LENGTH)
        {
          g_printerr ("kerbside-server staff create: give their name with --name (1 to %d "
                      "characters).\n", KS_API_MAX_NAME_LENGTH);
          return 2;
        }
      if (!superuser && (which == NULL || roles == NULL))
        {
          g_printerr ("kerbside-server staff create: a council's staff member needs the "
                      "council (--council) and a role (--role, e.g. Administrators); a "
                      "platform operator is made with --superuser.\n");
          return 2;
        }
      if (roles != NULL && which == NULL)
        {
          g_printerr ("kerbside-server staff create: roles belong to a council: give it with "
                      "--council.\n");
          return 2;
        }
      if (cost < KS_BCRYPT_COST_MIN || cost > KS_BCRYPT_COST_MAX)
        {
          g_printerr ("kerbside-server staff create: --bcrypt-cost must be from %d to %d.\n",
                      KS_BCRYPT_COST_MIN, KS_BCRYPT_COST_MAX);
          return 2;
        }
    }
  if ((store = ks_command_open_store ("staff", &where, &status)) == NULL)
    return status;
  if (which != NULL && (body_id = ks_command_find_council (store, "staff", which)) == 0)
    return 1;
  if (strcmp (action, "list") == 0)
    return list_staff (store, body_id);
  return create_staff (store, body_id, email, name, roles, superuser, cost);
}
