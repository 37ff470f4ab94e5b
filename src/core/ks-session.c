/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session.c: the signed-in context handed to every widget: it holds the
 * client, cache, sync engine, outbox, models and permissions, and emits the
 * session's signals. Sign-in, the catalogue and report actions have their own files. */
#define G_LOG_DOMAIN "ks-session"

#include "ks-session-private.h"

GParamSpec *ks_session_properties[KS_SESSION_N_PROPS];
guint ks_session_signals[KS_SESSION_N_SIGNALS];

G_DEFINE_FINAL_TYPE (KsSession, ks_session, G_TYPE_OBJECT)

void
ks_session_stop_engines (KsSession *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->sync != NULL)
    ks_sync_engine_stop (self->sync);
  if (self->outbox != NULL)
    ks_outbox_stop (self->outbox);
  g_clear_object (&self->sync);
  g_clear_object (&self->outbox);
}

/* Stops what runs for a signed-in session: sync, outbox, cache and models. */
void
ks_session_stop_running (KsSession *self)
{
  ks_session_stop_engines (self);
  g_clear_object (&self->cache);
  if (self->store != NULL)
    ks_report_store_clear (self->store);
  if (self->signed_in)
    {
      self->signed_in = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), ks_session_properties[KS_SESSION_PROP_SIGNED_IN]);
    }
}

void
ks_session_teardown (KsSession *self)
{
  ks_session_stop_running (self);
  if (self->client != NULL)
    {
      g_clear_signal_handler (&self->unauthorized_handler, self->client);
      g_clear_signal_handler (&self->setup_required_handler, self->client);
    }
  g_clear_object (&self->client);
  g_clear_pointer (&self->me, json_object_unref);
  g_clear_pointer (&self->user_name, g_free);
  g_clear_pointer (&self->challenge, g_free);
  g_clear_object (&self->preloaded);
  self->setup_pending = FALSE;
  self->perms = 0;
  self->user_id = 0;
  self->council_id = 0;
}

static void
ks_session_dispose (GObject *object)
{
  KsSession *self = KS_SESSION (object);

  ks_session_teardown (self);
  ks_session_drop_read_ahead (self);
  g_clear_object (&self->filter);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (ks_session_parent_class)->dispose (object);
}

static void
ks_session_finalize (GObject *object)
{
  KsSession *self = KS_SESSION (object);

  g_free (self->server_url);
  g_free (self->email);
  g_hash_table_unref (self->placeholders);
  json_array_unref (self->categories);
  json_array_unref (self->priorities);
  json_array_unref (self->templates);
  json_array_unref (self->states);
  json_array_unref (self->assignees);
  g_clear_pointer (&self->boundaries, json_object_unref);
  G_OBJECT_CLASS (ks_session_parent_class)->finalize (object);
}

static void
ks_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KsSession *self = KS_SESSION (object);

  switch (prop_id)
    {
    case KS_SESSION_PROP_SIGNED_IN: g_value_set_boolean (value, self->signed_in); break;
    case KS_SESSION_PROP_USER_NAME: g_value_set_string (value, self->user_name); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ks_session_class_init (KsSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ks_session_dispose;
  object_class->finalize = ks_session_finalize;
  object_class->get_property = ks_session_get_property;

  ks_session_properties[KS_SESSION_PROP_SIGNED_IN] = g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ks_session_properties[KS_SESSION_PROP_USER_NAME] = g_param_spec_string ("user-name", NULL, NULL, NULL,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, KS_SESSION_N_PROPS, ks_session_properties);

  ks_session_signals[KS_SESSION_SIGNAL_COUNCIL_CHANGED] = g_signal_new ("council-changed", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                  G_TYPE_NONE, 0);
  ks_session_signals[KS_SESSION_SIGNAL_SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  ks_session_signals[KS_SESSION_SIGNAL_SIGNED_OUT] = g_signal_new ("signed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                             0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  ks_session_signals[KS_SESSION_SIGNAL_KEYRING_ERROR] = g_signal_new ("keyring-error", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 1, G_TYPE_ERROR);
  ks_session_signals[KS_SESSION_SIGNAL_TWO_FACTOR_SETUP_REQUIRED] =
    g_signal_new ("two-factor-setup-required", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  ks_session_signals[KS_SESSION_SIGNAL_LISTS_CHANGED] = g_signal_new ("lists-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  ks_session_signals[KS_SESSION_SIGNAL_WAITING] =
    g_signal_new ("waiting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_STRING);
}

static void
ks_session_init (KsSession *self)
{
  self->store = ks_report_store_new ();
  self->placeholders = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->filter = ks_report_filter_new (G_LIST_MODEL (self->store));
  self->categories = json_array_new ();
  self->priorities = json_array_new ();
  self->templates = json_array_new ();
  self->states = json_array_new ();
  self->assignees = json_array_new ();
}

KsSession *
ks_session_new (void)
{
  return g_object_new (KS_TYPE_SESSION, NULL);
}

/* Getters */

gboolean ks_session_is_signed_in (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), FALSE); return self->signed_in; }
KsPermissionSet ks_session_get_permissions (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), 0); return self->perms; }
const char *ks_session_get_server_url (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->server_url; }
gint64 ks_session_get_user_id (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), 0); return self->user_id; }
const char *ks_session_get_user_name (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->user_name; }
const char *ks_session_get_user_email (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->email; }
JsonObject *ks_session_get_me (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->me; }
static JsonArray *
me_array (KsSession  *self,
          const char *member)
{
  JsonNode *node = self->me != NULL ? json_object_get_member (self->me, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char **
ks_session_get_area_wards (KsSession *self)
{
  g_autoptr(GPtrArray) wards = g_ptr_array_new ();
  JsonArray *array;

  g_return_val_if_fail (KS_IS_SESSION (self), NULL);
  array = me_array (self, "wards");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
          && *json_node_get_string (node) != '\0')
        g_ptr_array_add (wards, (gpointer) g_intern_string (json_node_get_string (node)));
    }
  g_ptr_array_add (wards, NULL);
  return (const char **) g_ptr_array_steal (wards, NULL);
}

GArray *
ks_session_get_area_category_ids (KsSession *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonArray *array;

  g_return_val_if_fail (KS_IS_SESSION (self), ids);
  array = me_array (self, "category_ids");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        {
          gint64 id = json_node_get_int (node);

          g_array_append_val (ids, id);
        }
    }
  return ids;
}

KsClient *ks_session_get_client (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->client; }
KsCache *ks_session_get_cache (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->cache; }
KsSyncEngine *ks_session_get_sync (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->sync; }
KsOutbox *ks_session_get_outbox (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->outbox; }
GListModel *ks_session_get_reports (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return G_LIST_MODEL (self->store); }
KsReportStore *ks_session_get_report_store (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->store; }
KsReportFilter *ks_session_get_filter (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->filter; }

void
ks_session_append_council (KsSession *self,
                           GString   *path)
{
  g_autofree char *scoped = NULL;

  g_return_if_fail (KS_IS_SESSION (self));
  /* A platform operator names the council they work in (the client's). */
  if (self->client == NULL)
    return;
  scoped = ks_client_council_path (self->client, path->str);
  g_string_assign (path, scoped);
}

KsReport *
ks_session_lookup_report (KsSession *self,
                          gint64     id)
{
  g_return_val_if_fail (KS_IS_SESSION (self), NULL);
  return ks_report_store_lookup (self->store, id);
}

gboolean
ks_session_can (KsSession    *self,
                KsPermission  perm)
{
  g_return_val_if_fail (KS_IS_SESSION (self), FALSE);
  if (!self->signed_in || (guint) perm >= KS_N_PERMISSIONS)
    return FALSE;
  return KS_PERMISSION_SET_HAS (self->perms, perm);
}

