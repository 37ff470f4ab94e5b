/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-credentials.c: the session token in the system keyring (libsecret).
 *
 * A lookup on a locked keyring without anyone to unlock it can answer "nothing"
 * with no error, so lookups go through SecretService with an explicit unlock and
 * treat items that stay locked as an error, never as "no token". */
#define G_LOG_DOMAIN "ks-credentials"

#include "ks-credentials.h"
#include "ks-error.h"

#include <libsecret/secret.h>

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "org.kerbside.Kerbside.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "email", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static GHashTable *
make_attributes (const char *server,
                 const char *email)
{
  GHashTable *attrs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *lower = g_utf8_strdown (email, -1);

  g_hash_table_insert (attrs, (gpointer) "server", g_strdup (server));
  g_hash_table_insert (attrs, (gpointer) "email", g_steal_pointer (&lower));
  return attrs;
}

static GError *
keyring_error (const GError *cause,
               const char   *doing)
{
  if (cause != NULL)
    g_debug ("keyring: %s", cause->message);
  return g_error_new (KS_ERROR, KS_ERROR_KEYRING,
                      "Could not %s the system keyring, so you will need to sign in again next time. "
                      "Make sure a keyring service (such as GNOME Keyring) is running and unlocked.",
                      doing);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, keyring_error (error, "save your session in"));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
ks_credentials_store_async (const char          *server,
                            const char          *email,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GHashTable) attrs = make_attributes (server, email);
  g_autofree char *label = g_strdup_printf ("Kerbside session for %s on %s", email, server);

  g_task_set_source_tag (task, ks_credentials_store_async);
  secret_password_storev (token_schema (), attrs, SECRET_COLLECTION_DEFAULT, label, token,
                          cancellable, on_stored, task);
}

gboolean
ks_credentials_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct {
  GHashTable *attrs;
  gboolean    clear;
  GList      *doomed;   /* items still to delete, when clearing */
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_hash_table_unref (data->attrs);
  g_list_free_full (data->doomed, g_object_unref);
  g_free (data);
}

/* Clearing deletes the matching items one after the other, each answer awaited:
 * libsecret 0.20's secret_service_clear() can answer its task a second time after
 * the caller has moved on, when gnome-keyring drops an item mid-way. */
static void delete_next (GTask *task);

static void
on_item_deleted (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* An item already gone (another sign-out got there first) is what we wanted. */
  if (!secret_item_delete_finish (SECRET_ITEM (source), result, &error) &&
      !g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT) &&
      !g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) &&
      !g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT))
    {
      g_task_return_error (task, keyring_error (error, "remove your session from"));
      return;
    }
  delete_next (g_steal_pointer (&task));
}

static void
delete_next (GTask *task)
{
  LookupData *data = g_task_get_task_data (task);
  SecretItem *item;

  if (data->doomed == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  item = data->doomed->data;
  data->doomed = g_list_delete_link (data->doomed, data->doomed);
  secret_item_delete (item, g_task_get_cancellable (task), on_item_deleted, task);
  g_object_unref (item);
}

static void
on_found_for_clear (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  LookupData *data = g_task_get_task_data (task);

  data->doomed = secret_service_search_finish (SECRET_SERVICE (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (error, "remove your session from"));
      g_object_unref (task);
      return;
    }
  delete_next (task);
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SecretValue *value = secret_service_lookup_finish (SECRET_SERVICE (source), result, &error);
  char *token = NULL;

  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (error, "read your session from"));
      return;
    }
  if (value != NULL)
    {
      const char *text = secret_value_get_text (value);
      if (text != NULL && *text != '\0')
        token = g_strdup (text);
      secret_value_unref (value);
    }
  g_task_return_pointer (task, token, g_free);
}

static void
on_service (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = secret_service_open_finish (result, &error);
  LookupData *data = g_task_get_task_data (task);

  if (service == NULL)
    {
      g_task_return_error (task, keyring_error (error, data->clear ? "remove your session from" : "read your session from"));
      return;
    }
  if (data->clear)
    secret_service_search (service, token_schema (), data->attrs, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task), on_found_for_clear, g_object_ref (task));
  else
    /* secret_service_lookup reads the secret in one call, without item proxies:
     * libsecret 0.20's search-and-load path can answer its own task twice when an
     * item goes away between the two steps (right after a sign-out, say). */
    secret_service_lookup (service, token_schema (), data->attrs, g_task_get_cancellable (task),
                           on_looked_up, g_object_ref (task));
}

static void
start_lookup (const char          *server,
              const char          *email,
              gboolean             clear,
              gpointer             tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  LookupData *data = g_new0 (LookupData, 1);

  g_task_set_source_tag (task, tag);
  data->attrs = make_attributes (server, email);
  data->clear = clear;
  g_task_set_task_data (task, data, (GDestroyNotify) lookup_data_free);
  /* A connection of our own rather than libsecret's shared one: the shared
   * service's session set-up can answer twice when two callers race it
   * (libsecret 0.20), which a crash-free app cannot afford. */
  secret_service_open (SECRET_TYPE_SERVICE, NULL, SECRET_SERVICE_OPEN_SESSION, cancellable,
                       on_service, task);
}

void
ks_credentials_lookup_async (const char          *server,
                             const char          *email,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  start_lookup (server, email, FALSE, ks_credentials_lookup_async, cancellable, callback, user_data);
}

char *
ks_credentials_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ks_credentials_clear_async (const char          *server,
                            const char          *email,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  start_lookup (server, email, TRUE, ks_credentials_clear_async, cancellable, callback, user_data);
}

gboolean
ks_credentials_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
