/* ks-session.c: the signed-in context handed to every widget. */
#define G_LOG_DOMAIN "ks-session"

#include "ks-session.h"
#include "ks-credentials.h"
#include "ks-error.h"
#include "ks-report-private.h"
#include "ks-states.h"
#include "ks-time.h"

#include <string.h>

struct _KsSession
{
  GObject          parent_instance;

  char            *server_url;
  char            *email;
  KsClient        *client;
  KsCache         *cache;
  KsSyncEngine    *sync;
  KsOutbox        *outbox;
  KsReportStore   *store;
  KsReportFilter  *filter;
  JsonObject      *me;
  KsPermissionSet  perms;
  gint64           user_id;
  char            *user_name;
  gboolean         signed_in;
  gulong           unauthorized_handler;
  gulong           setup_required_handler;
  char            *challenge;        /* after the password, for accounts with 2FA */
  gboolean         setup_pending;    /* signed in on the server, but 2FA must be set up first */
  guint            generation;       /* bumped by each sign-in, so late sign-out steps of an
                                      * earlier session leave a newer one alone */
  GCancellable    *cancellable;

  JsonArray       *categories;
  JsonArray       *priorities;
  JsonArray       *templates;
  JsonArray       *states;
};

enum {
  PROP_0,
  PROP_SIGNED_IN,
  PROP_USER_NAME,
  N_PROPS
};

enum {
  SIGNAL_SIGNED_IN,
  SIGNAL_SIGNED_OUT,
  SIGNAL_KEYRING_ERROR,
  SIGNAL_TWO_FACTOR_SETUP_REQUIRED,
  SIGNAL_LISTS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KsSession, ks_session, G_TYPE_OBJECT)

/* Stops what runs for a signed-in session: sync, outbox, cache and models. */
static void
stop_running (KsSession *self)
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
  g_clear_object (&self->cache);
  if (self->store != NULL)
    ks_report_store_clear (self->store);
  if (self->signed_in)
    {
      self->signed_in = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
    }
}

static void
teardown (KsSession *self)
{
  stop_running (self);
  if (self->client != NULL)
    {
      g_clear_signal_handler (&self->unauthorized_handler, self->client);
      g_clear_signal_handler (&self->setup_required_handler, self->client);
    }
  g_clear_object (&self->client);
  g_clear_pointer (&self->me, json_object_unref);
  g_clear_pointer (&self->user_name, g_free);
  g_clear_pointer (&self->challenge, g_free);
  self->setup_pending = FALSE;
  self->perms = 0;
  self->user_id = 0;
}

static void
ks_session_dispose (GObject *object)
{
  KsSession *self = KS_SESSION (object);

  teardown (self);
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
  json_array_unref (self->categories);
  json_array_unref (self->priorities);
  json_array_unref (self->templates);
  json_array_unref (self->states);
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
    case PROP_SIGNED_IN: g_value_set_boolean (value, self->signed_in); break;
    case PROP_USER_NAME: g_value_set_string (value, self->user_name); break;
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

  properties[PROP_SIGNED_IN] = g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER_NAME] = g_param_spec_string ("user-name", NULL, NULL, NULL,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SIGNED_OUT] = g_signal_new ("signed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                             0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_KEYRING_ERROR] = g_signal_new ("keyring-error", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_TWO_FACTOR_SETUP_REQUIRED] =
    g_signal_new ("two-factor-setup-required", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_LISTS_CHANGED] = g_signal_new ("lists-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ks_session_init (KsSession *self)
{
  self->store = ks_report_store_new ();
  self->filter = ks_report_filter_new (G_LIST_MODEL (self->store));
  self->categories = json_array_new ();
  self->priorities = json_array_new ();
  self->templates = json_array_new ();
  self->states = json_array_new ();
}

KsSession *
ks_session_new (void)
{
  return g_object_new (KS_TYPE_SESSION, NULL);
}

/* Accessors */

gboolean ks_session_is_signed_in (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), FALSE); return self->signed_in; }
KsPermissionSet ks_session_get_permissions (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), 0); return self->perms; }
const char *ks_session_get_server_url (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->server_url; }
gint64 ks_session_get_user_id (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), 0); return self->user_id; }
const char *ks_session_get_user_name (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->user_name; }
const char *ks_session_get_user_email (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->email; }
JsonObject *ks_session_get_me (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->me; }
KsClient *ks_session_get_client (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->client; }
KsCache *ks_session_get_cache (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->cache; }
KsSyncEngine *ks_session_get_sync (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->sync; }
KsOutbox *ks_session_get_outbox (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->outbox; }
GListModel *ks_session_get_reports (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return G_LIST_MODEL (self->store); }
KsReportStore *ks_session_get_report_store (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->store; }
KsReportFilter *ks_session_get_filter (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->filter; }
JsonArray *ks_session_get_categories (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->categories; }
JsonArray *ks_session_get_priorities (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->priorities; }
JsonArray *ks_session_get_templates (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->templates; }
JsonArray *ks_session_get_states (KsSession *self) { g_return_val_if_fail (KS_IS_SESSION (self), NULL); return self->states; }

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

/* Reference lists */

/* "categories" can be a plain array or an object holding one. */
static JsonArray *
array_in (JsonNode   *node,
          const char *name)
{
  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_node_get_array (node);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);
      if (json_object_has_member (obj, name) && JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, name)))
        return json_object_get_array_member (obj, name);
    }
  return NULL;
}

static JsonArray **
list_slot (KsSession  *self,
           const char *name)
{
  if (strcmp (name, "categories") == 0)
    return &self->categories;
  if (strcmp (name, "priorities") == 0)
    return &self->priorities;
  if (strcmp (name, "templates") == 0)
    return &self->templates;
  return &self->states;
}

static void
set_list (KsSession  *self,
          const char *name,
          JsonArray  *array,
          gboolean    save)
{
  JsonArray **slot = list_slot (self, name);

  json_array_unref (*slot);
  *slot = json_array_ref (array);
  if (save && self->cache != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), array);
      g_autofree char *text = json_to_string (node, FALSE);
      ks_cache_set_string (self->cache, name, text, NULL);
    }
}

static void
load_lists_from_cache (KsSession *self)
{
  static const char *const names[] = { "categories", "priorities", "templates", "states" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *text = ks_cache_get_string (self->cache, names[i]);
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL))
        {
          JsonArray *array = array_in (json_parser_get_root (parser), names[i]);
          if (array != NULL)
            set_list (self, names[i], array, FALSE);
        }
    }
}

typedef struct {
  guint    pending;
  gboolean changed;
  GError  *error;
} ListsData;

static void
lists_data_free (ListsData *data)
{
  g_clear_error (&data->error);
  g_free (data);
}

static void
on_list (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KsSession *self = g_task_get_source_object (task);
  ListsData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ks_client_request_finish (KS_CLIENT (source), result, NULL, &error);

  if (node == NULL)
    {
      /* A role without an admin permission may not read every list: keep the rest. */
      if (data->error == NULL && !g_error_matches (error, KS_ERROR, KS_ERROR_FORBIDDEN) &&
          !g_error_matches (error, KS_ERROR, KS_ERROR_NOT_FOUND))
        data->error = g_steal_pointer (&error);
    }
  else
    {
      static const char *const names[] = { "categories", "priorities", "templates", "states" };
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          JsonArray *array = array_in (node, names[i]);
          if (array != NULL)
            {
              set_list (self, names[i], array, TRUE);
              data->changed = TRUE;
              break;
            }
        }
    }
  if (--data->pending == 0)
    {
      /* Everything that shows the catalogue fills itself again (the filters on
       * a first run, with nothing cached, get their groups and priorities now). */
      if (data->changed)
        g_signal_emit (self, signals[SIGNAL_LISTS_CHANGED], 0);
      if (data->error != NULL)
        g_task_return_error (task, g_steal_pointer (&data->error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

void
ks_session_refresh_lists_async (KsSession           *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  static const char *const paths[] = {
    "/api/v1/categories", "/api/v1/priorities", "/api/v1/templates", "/api/v1/states"
  };
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ListsData *data = g_new0 (ListsData, 1);

  g_task_set_source_tag (task, ks_session_refresh_lists_async);
  g_task_set_task_data (task, data, (GDestroyNotify) lists_data_free);
  if (self->client == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAUTHORIZED, "Sign in first.");
      return;
    }
  data->pending = G_N_ELEMENTS (paths);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    ks_client_request_async (self->client, "GET", paths[i], NULL, NULL, cancellable,
                             on_list, g_object_ref (task));
}

gboolean
ks_session_refresh_lists_finish (KsSession     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Whether a priority/template object applies to a category: no "categories"
 * (or "category_ids") list, or an empty one, means all of them. */
static gboolean
applies_to (JsonObject *obj,
            gint64      category_id)
{
  JsonArray *cats = NULL;

  if (json_object_has_member (obj, "categories") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "categories")))
    cats = json_object_get_array_member (obj, "categories");
  else if (json_object_has_member (obj, "category_ids") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "category_ids")))
    cats = json_object_get_array_member (obj, "category_ids");
  if (cats == NULL || json_array_get_length (cats) == 0)
    return TRUE;
  for (guint i = 0; i < json_array_get_length (cats); i++)
    {
      JsonNode *n = json_array_get_element (cats, i);
      gint64 id = 0;
      if (JSON_NODE_HOLDS_VALUE (n))
        id = json_node_get_int (n);
      else if (JSON_NODE_HOLDS_OBJECT (n) && json_object_has_member (json_node_get_object (n), "id"))
        id = json_object_get_int_member (json_node_get_object (n), "id");
      if (id == category_id)
        return TRUE;
    }
  return FALSE;
}

static JsonArray *
filter_for_category (JsonArray *all,
                     gint64     category_id)
{
  JsonArray *out = json_array_new ();

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonNode *n = json_array_get_element (all, i);
      if (JSON_NODE_HOLDS_OBJECT (n) && applies_to (json_node_get_object (n), category_id))
        json_array_add_element (out, json_node_copy (n));
    }
  return out;
}

JsonArray *
ks_session_get_priorities_for_category (KsSession *self,
                                        gint64     category_id)
{
  g_return_val_if_fail (KS_IS_SESSION (self), NULL);
  return filter_for_category (self->priorities, category_id);
}

JsonArray *
ks_session_get_templates_for_category (KsSession *self,
                                       gint64     category_id)
{
  g_return_val_if_fail (KS_IS_SESSION (self), NULL);
  return filter_for_category (self->templates, category_id);
}

static JsonObject *
find_by_id (JsonArray *array,
            gint64     id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *n = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_OBJECT (n) &&
          json_object_has_member (json_node_get_object (n), "id") &&
          json_object_get_int_member (json_node_get_object (n), "id") == id)
        return json_node_get_object (n);
    }
  return NULL;
}

const char *
ks_session_get_priority_name (KsSession *self,
                              gint64     priority_id)
{
  JsonObject *p;

  g_return_val_if_fail (KS_IS_SESSION (self), "");
  p = priority_id > 0 ? find_by_id (self->priorities, priority_id) : NULL;
  if (p != NULL && json_object_has_member (p, "name"))
    return json_object_get_string_member (p, "name");
  return "";
}

/* Signing in */

static gboolean
me_has (JsonObject   *me,
        KsPermission  perm,
        KsPermissionSet *out_set)
{
  KsPermissionSet set = 0;
  JsonArray *perms = NULL;

  if (me != NULL && json_object_has_member (me, "permissions") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (me, "permissions")))
    perms = json_object_get_array_member (me, "permissions");
  for (guint i = 0; perms && i < json_array_get_length (perms); i++)
    {
      KsPermission p;
      JsonNode *n = json_array_get_element (perms, i);
      if (JSON_NODE_HOLDS_VALUE (n) && ks_permission_from_id (json_node_get_string (n), &p))
        set |= 1u << p;
    }
  if (out_set != NULL)
    *out_set = set;
  return KS_PERMISSION_SET_HAS (set, perm);
}

/* Whether the cache file of server + email belongs to a user with view_offline. */
static gboolean
cached_user_keeps_data (KsCache *cache)
{
  g_autofree char *text = ks_cache_get_string (cache, "me");
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  return me_has (json_node_get_object (json_parser_get_root (parser)), KS_PERM_VIEW_OFFLINE, NULL);
}

static void
set_me (KsSession  *self,
        JsonObject *me)
{
  g_clear_pointer (&self->me, json_object_unref);
  self->me = json_object_ref (me);
  me_has (me, KS_PERM_VIEW_OFFLINE, &self->perms);
  self->user_id = json_object_has_member (me, "id") ? json_object_get_int_member (me, "id") : 0;
  g_free (self->user_name);
  self->user_name = g_strdup (json_object_has_member (me, "name") ? json_object_get_string_member (me, "name") : self->email);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_NAME]);
  if (self->cache != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), me);
      g_autofree char *text = json_to_string (node, FALSE);
      ks_cache_set_string (self->cache, "me", text, NULL);
    }
}

static void
session_lost (KsSession  *self,
              const char *message)
{
  gboolean keep;

  if (!self->signed_in && !self->setup_pending)
    return;
  /* Keep queued writes for the next sign-in; otherwise the same rule as signing out. */
  keep = ks_session_can (self, KS_PERM_VIEW_OFFLINE) ||
         (self->outbox != NULL && ks_outbox_get_n_pending (self->outbox) > 0);
  ks_credentials_clear_async (self->server_url, self->email, NULL, NULL, NULL);
  if (!keep && self->cache != NULL)
    ks_cache_wipe (self->cache, NULL);
  teardown (self);
  g_signal_emit (self, signals[SIGNAL_SIGNED_OUT], 0, message);
}

static void
on_unauthorized (KsClient   *client,
                 const char *message,
                 KsSession  *self)
{
  g_autofree char *copy = g_strdup (message);

  session_lost (self, copy);
}

static gboolean
me_requires_setup (JsonObject *me)
{
  return me != NULL && json_object_get_boolean_member_with_default (me, "two_factor_setup_required", FALSE);
}

static void connect_client (KsSession *self);

/* Signed in on the server, but nothing else is allowed until 2FA is set up:
 * nothing runs, the token and /me are kept. */
static void
enter_setup_pending (KsSession  *self,
                     JsonObject *me,
                     const char *message)
{
  g_autoptr(JsonObject) keep = json_object_ref (me);

  stop_running (self);
  set_me (self, keep);
  self->setup_pending = TRUE;
  connect_client (self);
  g_signal_emit (self, signals[SIGNAL_TWO_FACTOR_SETUP_REQUIRED], 0, message);
}

static void
on_client_setup_required (KsClient   *client,
                          const char *message,
                          KsSession  *self)
{
  g_autofree char *copy = g_strdup (message);

  /* Several requests may be refused at once: the first one stops everything,
   * as a 401 does, before its caller hears of the error. */
  if (self->signed_in && self->me != NULL)
    {
      g_autoptr(JsonObject) me = json_object_ref (self->me);
      enter_setup_pending (self, me, copy);
    }
}

static void
connect_client (KsSession *self)
{
  if (self->unauthorized_handler == 0)
    self->unauthorized_handler = g_signal_connect (self->client, "unauthorized",
                                                   G_CALLBACK (on_unauthorized), self);
  if (self->setup_required_handler == 0)
    self->setup_required_handler = g_signal_connect (self->client, "two-factor-setup-required",
                                                     G_CALLBACK (on_client_setup_required), self);
}

static void
on_lists_refreshed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ks_session_refresh_lists_finish (KS_SESSION (source), result, &error))
    g_debug ("lists: %s", error->message);
}

static void
on_background_sync (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ks_sync_engine_sync_finish (KS_SYNC_ENGINE (source), result, &error))
    g_debug ("sync: %s", error->message);
}

/* Opens the cache, loads the cached reports and starts the engines. */
static gboolean
start_session (KsSession  *self,
               GError    **error)
{
  g_autoptr(GPtrArray) reports = NULL;
  gboolean offline = ks_session_can (self, KS_PERM_VIEW_OFFLINE) ||
                     KS_PERMISSION_SET_HAS (self->perms, KS_PERM_VIEW_OFFLINE);

  if (self->cache == NULL && (self->cache = ks_cache_open (self->server_url, self->email, error)) == NULL)
    return FALSE;
  if (self->me != NULL)
    {
      g_autoptr(JsonObject) me = json_object_ref (self->me);
      set_me (self, me);
    }
  if ((reports = ks_cache_load_reports (self->cache, error)) == NULL)
    return FALSE;
  ks_report_store_replace_all (self->store, reports);
  load_lists_from_cache (self);

  self->cancellable = g_cancellable_new ();
  self->sync = ks_sync_engine_new (self->client, self->cache, self->store, offline);
  self->outbox = ks_outbox_new (self->client, self->cache, self->store);
  connect_client (self);
  self->setup_pending = FALSE;
  self->signed_in = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
  return TRUE;
}

static void
start_background (KsSession *self)
{
  ks_session_refresh_lists_async (self, self->cancellable, on_lists_refreshed, NULL);
  ks_sync_engine_sync_async (self->sync, NULL, on_background_sync, NULL);
  ks_outbox_flush (self->outbox);
}

static void
on_token_stored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KsSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* Not fatal: the session works, only the next start needs the password. */
  if (!ks_credentials_store_finish (result, &error))
    g_signal_emit (self, signals[SIGNAL_KEYRING_ERROR], 0, error);
  g_clear_error (&error);

  if (me_requires_setup (self->me))
    {
      g_autoptr(JsonObject) me = json_object_ref (self->me);

      enter_setup_pending (self, me, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!start_session (self, &error))
    {
      teardown (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0);
  start_background (self);
  g_task_return_boolean (task, TRUE);
}

static void
on_sign_in_me (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KsSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ks_client_request_finish (KS_CLIENT (source), result, NULL, &error);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      teardown (self);
      if (error == NULL)
        error = g_error_new (KS_ERROR, KS_ERROR_FAILED,
                             "The server sent an answer the app cannot read. Check the server address.");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  me_has (json_node_get_object (node), KS_PERM_VIEW_OFFLINE, &self->perms);
  self->me = json_object_ref (json_node_get_object (node));
  ks_credentials_store_async (self->server_url, self->email, ks_client_get_token (self->client),
                              NULL, on_token_stored, g_object_ref (task));
}

static void
login_answer (GTask    *task,
              JsonNode *node)
{
  KsSession *self = g_task_get_source_object (task);
  JsonObject *obj;

  obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (obj != NULL && json_object_get_boolean_member_with_default (obj, "two_factor_required", FALSE) &&
      json_object_get_string_member_with_default (obj, "challenge", NULL) != NULL)
    {
      /* The password (or emailed code) was right: a code from the authenticator comes next. */
      g_free (self->challenge);
      self->challenge = g_strdup (json_object_get_string_member (obj, "challenge"));
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_TWO_FACTOR_REQUIRED, "%s",
                               json_object_get_string_member_with_default (obj, "message",
                                                                           "Enter the 6-digit code from your authenticator app."));
      return;
    }
  if (obj == NULL || !json_object_has_member (obj, "token"))
    {
      teardown (self);
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_FAILED,
                               "The server did not start a session. Check that the address is your council's Kerbside server.");
      return;
    }
  ks_client_set_token (self->client, json_object_get_string_member (obj, "token"));
  ks_client_request_async (self->client, "GET", "/api/v1/me", NULL, NULL,
                           g_task_get_cancellable (task), on_sign_in_me, g_object_ref (task));
}

static void
on_login (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KsSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ks_client_request_finish (KS_CLIENT (source), result, NULL, &error);

  if (node == NULL)
    {
      teardown (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  login_answer (task, node);
}

static gboolean
prepare (KsSession   *self,
         const char  *server_url,
         const char  *email,
         GError     **error)
{
  g_autofree char *url = NULL;

  if (self->signed_in)
    teardown (self);
  if ((url = ks_client_normalise_url (server_url, error)) == NULL)
    return FALSE;
  if (email == NULL || strchr (email, '@') == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "Enter your work email address, like name@council.gov.uk.");
      return FALSE;
    }
  g_free (self->server_url);
  self->server_url = g_steal_pointer (&url);
  g_free (self->email);
  self->email = g_utf8_strdown (email, -1);
  g_strstrip (self->email);
  g_clear_object (&self->client);
  self->generation++;
  self->client = ks_client_new (self->server_url, error);
  return self->client != NULL;
}

void
ks_session_sign_in_async (KsSession           *self,
                          const char          *server_url,
                          const char          *email,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (KS_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ks_session_sign_in_async);
  if (!prepare (self, server_url, email, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (password == NULL || *password == '\0')
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID, "Enter your password.");
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, self->email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  ks_client_request_async (self->client, "POST", "/api/v1/auth/login", body, NULL, cancellable,
                           on_login, g_object_ref (task));
}

gboolean
ks_session_sign_in_finish (KsSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_code_answer (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KsSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) error_body = NULL;
  g_autoptr(JsonNode) node = ks_client_request_finish (KS_CLIENT (source), result, &error_body, &error);

  if (node == NULL)
    {
      /* A wrong code can be tried again on the same challenge; an expired one cannot. */
      if (g_strcmp0 (ks_client_error_code (error_body), "challenge_expired") == 0)
        g_clear_pointer (&self->challenge, g_free);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_pointer (&self->challenge, g_free);
  login_answer (task, node);
}

void
ks_session_sign_in_code_async (KsSession           *self,
                               const char          *code,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (KS_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ks_session_sign_in_code_async);
  if (self->client == NULL || self->challenge == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAUTHORIZED,
                               "This sign-in has expired. Enter your email address and password again.");
      return;
    }
  if (code == NULL || *code == '\0')
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID,
                               "Enter the 6-digit code from your authenticator app.");
      return;
    }
  json_object_set_string_member (obj, "challenge", self->challenge);
  json_object_set_string_member (obj, "code", code);
  body = json_node_init_object (json_node_alloc (), obj);
  ks_client_request_async (self->client, "POST", "/api/v1/auth/login/2fa", body, NULL, cancellable,
                           on_code_answer, g_object_ref (task));
}

gboolean
ks_session_has_challenge (KsSession *self)
{
  g_return_val_if_fail (KS_IS_SESSION (self), FALSE);
  return self->challenge != NULL;
}

void
ks_session_forget_challenge (KsSession *self)
{
  g_return_if_fail (KS_IS_SESSION (self));
  g_clear_pointer (&self->challenge, g_free);
  if (!self->signed_in && !self->setup_pending)
    teardown (self);
}

static void
on_email_requested (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ks_client_request_finish (KS_CLIENT (source), result, NULL, &error);
  const char *message = NULL;

  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    message = json_object_get_string_member_with_default (json_node_get_object (node), "message", NULL);
  g_task_return_pointer (task,
                         g_strdup (message ? message : "If there is an account for this address, a code is on its way."),
                         g_free);
}

void
ks_session_request_email_code_async (KsSession           *self,
                                     const char          *server_url,
                                     const char          *email,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (KS_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ks_session_request_email_code_async);
  if (!prepare (self, server_url, email, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  json_object_set_string_member (obj, "email", self->email);
  body = json_node_init_object (json_node_alloc (), obj);
  ks_client_request_async (self->client, "POST", "/api/v1/auth/email", body, NULL, cancellable,
                           on_email_requested, g_object_ref (task));
}

char *
ks_session_request_email_code_finish (KsSession     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ks_session_sign_in_email_code_async (KsSession           *self,
                                     const char          *server_url,
                                     const char          *email,
                                     const char          *code,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (KS_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ks_session_sign_in_email_code_async);
  if (!prepare (self, server_url, email, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (code == NULL || *code == '\0')
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_INVALID, "Enter the code from the email.");
      return;
    }
  json_object_set_string_member (obj, "email", self->email);
  json_object_set_string_member (obj, "code", code);
  body = json_node_init_object (json_node_alloc (), obj);
  ks_client_request_async (self->client, "POST", "/api/v1/auth/email/verify", body, NULL, cancellable,
                           on_login, g_object_ref (task));
}

gboolean
ks_session_get_two_factor_setup_required (KsSession *self)
{
  g_return_val_if_fail (KS_IS_SESSION (self), FALSE);
  return self->setup_pending;
}

gboolean
ks_session_update_me (KsSession   *self,
                      JsonObject  *me,
                      GError     **error)
{
  g_return_val_if_fail (KS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (me != NULL, FALSE);

  if (self->setup_pending && !me_requires_setup (me))
    {
      /* 2FA is set up now: the sign-in that waited for it goes on. */
      g_clear_pointer (&self->me, json_object_unref);
      self->me = json_object_ref (me);
      me_has (me, KS_PERM_VIEW_OFFLINE, &self->perms);
      if (!start_session (self, error))
        {
          stop_running (self);
          return FALSE;
        }
      g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0);
      start_background (self);
      return TRUE;
    }
  if (self->signed_in && me_requires_setup (me))
    {
      enter_setup_pending (self, me, NULL);
      return TRUE;
    }
  if (self->signed_in || self->setup_pending)
    set_me (self, me);
  return TRUE;
}

static void
on_resume_me (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KsSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ks_client_request_finish (KS_CLIENT (source), result, NULL, &error);
  /* Offline users already started from the cache, and their task has been
   * answered: this only confirms (or ends) the session, and never answers again. */
  gboolean started = g_object_get_data (G_OBJECT (task), "ks-answered-from-cache") != NULL;

  if (started && !self->signed_in && !self->setup_pending)
    return;   /* signed out meanwhile */

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) && me_requires_setup (json_node_get_object (node)))
    {
      enter_setup_pending (self, json_node_get_object (node), NULL);
      if (!started)
        g_task_return_boolean (task, TRUE);
      return;
    }
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      set_me (self, json_node_get_object (node));
      if (!started && !start_session (self, &error))
        {
          teardown (self);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (!started)
        g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0);
      start_background (self);
      if (!g_task_get_completed (task) && !g_task_had_error (task) && !started)
        g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (error, KS_ERROR, KS_ERROR_UNAUTHORIZED))
    {
      /* The stored session was refused: forget it. */
      ks_credentials_clear_async (self->server_url, self->email, NULL, NULL, NULL);
      if (started)
        session_lost (self, error->message);
      else
        {
          g_autoptr(KsCache) cache = ks_cache_open (self->server_url, self->email, NULL);
          if (cache != NULL && !cached_user_keeps_data (cache))
            ks_cache_wipe (cache, NULL);
          teardown (self);
          g_task_return_error (task, g_steal_pointer (&error));
        }
      return;
    }
  if (started)
    return;   /* offline: keep working from the cache */
  teardown (self);
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_resume_token (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KsSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ks_credentials_lookup_finish (result, &error);
  g_autofree char *cache_path = NULL;

  if (token == NULL)
    {
      /* No stored session: nothing of a user without view_offline may stay on disk. */
      cache_path = ks_cache_path_for (self->server_url, self->email);
      if (g_file_test (cache_path, G_FILE_TEST_EXISTS))
        {
          g_autoptr(KsCache) cache = ks_cache_open_path (cache_path, NULL);
          if (cache != NULL && !cached_user_keeps_data (cache))
            ks_cache_wipe (cache, NULL);
        }
      teardown (self);
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, FALSE);
      return;
    }

  ks_client_set_token (self->client, token);
  cache_path = ks_cache_path_for (self->server_url, self->email);
  if (g_file_test (cache_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(KsCache) cache = ks_cache_open_path (cache_path, NULL);
      if (cache != NULL && cached_user_keeps_data (cache))
        {
          /* Start at once from the cache; /me confirms the session meanwhile. */
          g_autofree char *text = ks_cache_get_string (cache, "me");
          g_autoptr(JsonParser) parser = json_parser_new ();

          if (json_parser_load_from_data (parser, text, -1, NULL))
            {
              self->me = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
              me_has (self->me, KS_PERM_VIEW_OFFLINE, &self->perms);
              self->cache = g_steal_pointer (&cache);
              if (start_session (self, &error))
                {
                  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0);
                  g_object_set_data (G_OBJECT (task), "ks-answered-from-cache", GINT_TO_POINTER (1));
                  ks_client_request_async (self->client, "GET", "/api/v1/me", NULL, NULL,
                                           NULL, on_resume_me, g_object_ref (task));
                  g_task_return_boolean (task, TRUE);
                  return;
                }
              teardown (self);
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
        }
    }
  ks_client_request_async (self->client, "GET", "/api/v1/me", NULL, NULL,
                           g_task_get_cancellable (task), on_resume_me, g_object_ref (task));
}

void
ks_session_resume_async (KsSession           *self,
                         const char          *server_url,
                         const char          *email,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (KS_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ks_session_resume_async);
  if (server_url == NULL || *server_url == '\0' || email == NULL || *email == '\0')
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  if (!prepare (self, server_url, email, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ks_credentials_lookup_async (self->server_url, self->email, cancellable,
                               on_resume_token, g_object_ref (task));
}

gboolean
ks_session_resume_finish (KsSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Signing out */

static void
on_credentials_cleared (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KsSession *self = g_task_get_source_object (task);
  guint generation = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "ks-generation"));
  g_autoptr(GError) error = NULL;
  gboolean keep = ks_session_can (self, KS_PERM_VIEW_OFFLINE);

  if (generation != self->generation)
    {
      /* A new sign-in began meanwhile: finish this sign-out on its own data (the
       * old cache of a user without view_offline still goes) and leave the new
       * session be. */
      const char *old_cache = g_object_get_data (G_OBJECT (task), "ks-cache-path");
      gboolean old_keep = g_object_get_data (G_OBJECT (task), "ks-keep") != NULL;

      ks_credentials_clear_finish (result, NULL);
      if (!old_keep && old_cache != NULL && g_file_test (old_cache, G_FILE_TEST_EXISTS))
        {
          g_autoptr(KsCache) cache = ks_cache_open_path (old_cache, NULL);
          if (cache != NULL && !ks_cache_wipe (cache, &error))
            g_warning ("%s", error->message);
        }
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!ks_credentials_clear_finish (result, &error))
    g_signal_emit (self, signals[SIGNAL_KEYRING_ERROR], 0, error);
  g_clear_error (&error);
  if (!keep && self->cache != NULL && !ks_cache_wipe (self->cache, &error))
    g_warning ("%s", error->message);
  teardown (self);
  g_signal_emit (self, signals[SIGNAL_SIGNED_OUT], 0, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
on_logout (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KsSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ks_client_request_finish (KS_CLIENT (source), result, NULL, &error);

  if (node == NULL)
    g_debug ("sign-out on the server: %s", error->message);
  ks_credentials_clear_async (self->server_url, self->email, NULL,
                              on_credentials_cleared, g_object_ref (task));
}

void
ks_session_sign_out_async (KsSession           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KS_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ks_session_sign_out_async);
  if (!self->signed_in && !self->setup_pending)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->sync != NULL)
    ks_sync_engine_stop (self->sync);
  if (self->outbox != NULL)
    ks_outbox_stop (self->outbox);
  g_clear_signal_handler (&self->unauthorized_handler, self->client);
  g_object_set_data (G_OBJECT (task), "ks-generation", GUINT_TO_POINTER (self->generation));
  g_object_set_data_full (G_OBJECT (task), "ks-cache-path",
                          ks_cache_path_for (self->server_url, self->email), g_free);
  if (ks_session_can (self, KS_PERM_VIEW_OFFLINE))
    g_object_set_data (G_OBJECT (task), "ks-keep", GINT_TO_POINTER (1));
  ks_client_request_async (self->client, "POST", "/api/v1/auth/logout", NULL, NULL, NULL,
                           on_logout, g_object_ref (task));
}

gboolean
ks_session_sign_out_finish (KsSession     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Reports */

/* Writes fields into the cached report and the model (optimistic changes and
 * answers from the server alike). */
static void
apply_fields (KsSession  *self,
              JsonObject *fields)
{
  g_autoptr(JsonObject) full = NULL;
  g_autoptr(KsReport) report = NULL;
  g_autoptr(GPtrArray) one = NULL;
  gint64 id;

  if (self->cache == NULL || fields == NULL || !json_object_has_member (fields, "id"))
    return;
  id = json_object_get_int_member (fields, "id");
  if (!ks_cache_put_report (self->cache, fields, NULL))
    return;
  full = ks_cache_get_report_json (self->cache, id);
  if (full == NULL || (report = ks_report_new_from_json (full, NULL)) == NULL)
    return;
  one = g_ptr_array_new ();
  g_ptr_array_add (one, report);
  ks_report_store_upsert (self->store, one);
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KsSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ks_client_request_finish (KS_CLIENT (source), result, NULL, &error);
  JsonObject *obj;

  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_FAILED,
                               "The server sent a report the app cannot read. Try again later.");
      return;
    }
  obj = json_node_get_object (node);
  if (json_object_has_member (obj, "report") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "report")))
    obj = json_object_get_object_member (obj, "report");
  apply_fields (self, obj);
  g_task_return_pointer (task, json_object_ref (obj), (GDestroyNotify) json_object_unref);
}

void
ks_session_fetch_report_async (KsSession           *self,
                               gint64               report_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (KS_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ks_session_fetch_report_async);
  if (self->client == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAUTHORIZED, "Sign in to see this report.");
      return;
    }
  path = g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT, report_id);
  ks_client_request_async (self->client, "GET", path, NULL, NULL, cancellable, on_fetched,
                           g_object_ref (task));
}

JsonObject *
ks_session_fetch_report_finish (KsSession     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Actions */

static void
on_enqueued (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean queued = FALSE;
  g_autoptr(JsonNode) answer = ks_outbox_enqueue_finish (KS_OUTBOX (source), result, &queued, &error);

  if (answer == NULL && !queued)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_object_set_data (G_OBJECT (task), "queued", GINT_TO_POINTER (queued));
  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    {
      JsonObject *obj = json_node_get_object (answer);
      if (json_object_has_member (obj, "report") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "report")))
        obj = json_object_get_object_member (obj, "report");
      if (json_object_has_member (obj, "id"))
        g_object_set_data (G_OBJECT (task), "id",
                           GSIZE_TO_POINTER ((gsize) json_object_get_int_member (obj, "id")));
    }
  g_task_return_boolean (task, TRUE);
}

/* Applies the optimistic fields (may be NULL), queues the write, and finishes
 * the task when the outbox has news. */
static void
run_action (KsSession           *self,
            const char          *action,
            gint64               report_id,
            const char          *method,
            const char          *path,
            JsonObject          *body,
            gboolean             send_version,
            JsonObject          *optimistic,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  KsReport *report = NULL;
  gint64 version = 0;

  g_task_set_source_tag (task, source_tag);
  if (!self->signed_in || self->outbox == NULL)
    {
      g_task_return_new_error (task, KS_ERROR, KS_ERROR_UNAUTHORIZED, "Sign in to make changes.");
      return;
    }
  if (report_id > 0)
    {
      report = ks_report_store_lookup (self->store, report_id);
      if (report == NULL)
        {
          g_task_return_new_error (task, KS_ERROR, KS_ERROR_NOT_FOUND,
                                   "Report %" G_GINT64_FORMAT " is not in your list. Refresh and try again.",
                                   report_id);
          return;
        }
      version = send_version ? report->version : 0;
    }
  if (optimistic != NULL && report_id > 0)
    {
      json_object_set_int_member (optimistic, "id", report_id);
      apply_fields (self, optimistic);
    }
  ks_outbox_enqueue_async (self->outbox, action, report_id, method, path, body, version,
                           NULL, on_enqueued, g_object_ref (task));
}

gboolean
ks_session_action_finish (KsSession     *self,
                          GAsyncResult  *result,
                          gboolean      *out_queued,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (out_queued != NULL)
    *out_queued = g_object_get_data (G_OBJECT (result), "queued") != NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static char *
report_path (gint64 report_id, const char *action)
{
  return g_strdup_printf ("/api/v1/reports/%" G_GINT64_FORMAT "/%s", report_id, action);
}

void
ks_session_acknowledge_async (KsSession *self, gint64 report_id, const char *text,
                              GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = report_path (report_id, "acknowledge");
  KsReport *r;

  g_return_if_fail (KS_IS_SESSION (self));
  if (text != NULL && *text != '\0')
    json_object_set_string_member (body, "text", text);
  r = ks_report_store_lookup (self->store, report_id);
  if (r != NULL && r->acknowledged == 0)
    json_object_set_int_member (opt, "acknowledged", ks_time_now ());
  run_action (self, "acknowledge", report_id, "POST", path, body, TRUE, opt,
              ks_session_acknowledge_async, cancellable, callback, user_data);
}

gboolean
ks_session_check_photo (GBytes  *photo,
                        GError **error)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize len = 0;
  const guint8 *data = photo ? g_bytes_get_data (photo, &len) : NULL;

  if (len > KS_SESSION_MAX_PHOTO_BYTES)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_TOO_LARGE,
                   "The photo is larger than %d MB. Choose a smaller photo, or scale it down first.",
                   KS_SESSION_MAX_PHOTO_BYTES / (1024 * 1024));
      return FALSE;
    }
  if (data == NULL ||
      !((len >= 16 && memcmp (data, png, sizeof png) == 0) ||
        (len >= 4 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The photo is not a JPEG or PNG image. Choose a JPEG or PNG file.");
      return FALSE;
    }
  return TRUE;
}

/* Adds "photo" (base64) to a request body when there is one. */
static void
set_photo (JsonObject *body,
           GBytes     *photo)
{
  g_autofree char *encoded = NULL;
  gsize len;
  const guint8 *data;

  if (photo == NULL)
    return;
  data = g_bytes_get_data (photo, &len);
  encoded = g_base64_encode (data, len);
  json_object_set_string_member (body, "photo", encoded);
}

void
ks_session_add_update_async (KsSession *self, gint64 report_id, const char *text, gboolean is_public,
                             GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  ks_session_add_update_with_photo_async (self, report_id, text, is_public, NULL,
                                          cancellable, callback, user_data);
}

void
ks_session_add_update_with_photo_async (KsSession *self, gint64 report_id, const char *text,
                                        gboolean is_public, GBytes *photo,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = report_path (report_id, "updates");

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_string_member (body, "text", text ? text : "");
  json_object_set_boolean_member (body, "public", is_public);
  set_photo (body, photo);
  run_action (self, "update", report_id, "POST", path, body, TRUE, NULL,
              ks_session_add_update_async, cancellable, callback, user_data);
}

void
ks_session_set_state_async (KsSession *self, gint64 report_id, const char *state, const char *text,
                            GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = report_path (report_id, "state");

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_string_member (body, "state", state);
  if (text != NULL && *text != '\0')
    json_object_set_string_member (body, "text", text);
  json_object_set_string_member (opt, "state", state);
  run_action (self, "state", report_id, "POST", path, body, TRUE, opt,
              ks_session_set_state_async, cancellable, callback, user_data);
}

void
ks_session_set_priority_async (KsSession *self, gint64 report_id, gint64 priority_id,
                               GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = report_path (report_id, "priority");

  g_return_if_fail (KS_IS_SESSION (self));
  if (priority_id > 0)
    {
      json_object_set_int_member (body, "priority_id", priority_id);
      json_object_set_int_member (opt, "priority_id", priority_id);
    }
  else
    {
      json_object_set_null_member (body, "priority_id");
      json_object_set_null_member (opt, "priority_id");
    }
  run_action (self, "priority", report_id, "POST", path, body, TRUE, opt,
              ks_session_set_priority_async, cancellable, callback, user_data);
}

void
ks_session_moderate_async (KsSession *self, gint64 report_id, const char *title, const char *detail,
                           int show_name, gboolean remove_photo, const char *reason,
                           GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = report_path (report_id, "moderate");

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_string_member (body, "reason", reason ? reason : "");
  if (title != NULL)
    {
      json_object_set_string_member (body, "title", title);
      json_object_set_string_member (opt, "title", title);
    }
  if (detail != NULL)
    {
      json_object_set_string_member (body, "detail", detail);
      json_object_set_string_member (opt, "detail", detail);
    }
  if (show_name >= 0)
    json_object_set_boolean_member (body, "show_name", show_name != 0);
  if (remove_photo)
    {
      json_object_set_boolean_member (body, "remove_photo", TRUE);
      json_object_set_boolean_member (opt, "has_photo", FALSE);
    }
  run_action (self, "moderate", report_id, "POST", path, body, TRUE, opt,
              ks_session_moderate_async, cancellable, callback, user_data);
}

void
ks_session_hide_async (KsSession *self, gint64 report_id, const char *reason,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = report_path (report_id, "hide");

  g_return_if_fail (KS_IS_SESSION (self));
  if (reason != NULL && *reason != '\0')
    json_object_set_string_member (body, "reason", reason);
  json_object_set_string_member (opt, "state", "hidden");
  run_action (self, "hide", report_id, "POST", path, body, TRUE, opt,
              ks_session_hide_async, cancellable, callback, user_data);
}

void
ks_session_unhide_async (KsSession *self, gint64 report_id,
                         GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = report_path (report_id, "unhide");

  g_return_if_fail (KS_IS_SESSION (self));
  /* No optimistic state: the server restores the one from before the hide, and
   * its answer reaches the store. */
  run_action (self, "unhide", report_id, "POST", path, body, TRUE, NULL,
              ks_session_unhide_async, cancellable, callback, user_data);
}

void
ks_session_request_info_async (KsSession *self, gint64 report_id, const char *text,
                               GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = report_path (report_id, "request-info");

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_string_member (body, "text", text ? text : "");
  json_object_set_string_member (opt, "state", "awaiting_information");
  run_action (self, "request_info", report_id, "POST", path, body, TRUE, opt,
              ks_session_request_info_async, cancellable, callback, user_data);
}

void
ks_session_set_shortlisted_async (KsSession *self, gint64 report_id, gboolean shortlisted,
                                  GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = NULL;

  g_return_if_fail (KS_IS_SESSION (self));
  if (shortlisted)
    {
      body = json_object_new ();
      json_object_set_int_member (body, "report_id", report_id);
      path = g_strdup ("/api/v1/shortlist");
      json_object_set_int_member (opt, "shortlist_user", self->user_id);
    }
  else
    {
      path = g_strdup_printf ("/api/v1/shortlist/%" G_GINT64_FORMAT, report_id);
      json_object_set_int_member (opt, "shortlist_user", 0);
    }
  run_action (self, shortlisted ? "shortlist_add" : "shortlist_remove", report_id,
              shortlisted ? "POST" : "DELETE", path, body, FALSE, opt,
              ks_session_set_shortlisted_async, cancellable, callback, user_data);
}

void
ks_session_take_over_shortlist_async (KsSession *self, gint64 report_id,
                                      GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_int_member (body, "report_id", report_id);
  json_object_set_boolean_member (body, "take", TRUE);
  json_object_set_int_member (opt, "shortlist_user", self->user_id);
  run_action (self, "shortlist_take", report_id, "POST", "/api/v1/shortlist", body, FALSE, opt,
              ks_session_take_over_shortlist_async, cancellable, callback, user_data);
}

void
ks_session_use_template_async (KsSession *self, gint64 report_id, gint64 template_id, gboolean apply_state,
                               GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) opt = json_object_new ();
  g_autofree char *path = NULL;
  JsonObject *template;
  const char *template_state = NULL;
  KsReport *report;
  gboolean update = ks_session_can (self, KS_PERM_UPDATE_REPORT);

  g_return_if_fail (KS_IS_SESSION (self));
  /* An update with the template applies its state too; without the permission
   * to post updates, the template is the acknowledgement's reply. */
  path = report_path (report_id, update ? "updates" : "acknowledge");
  json_object_set_int_member (body, "template_id", template_id);
  template = find_by_id (self->templates, template_id);
  if (update && template != NULL && json_object_has_member (template, "state") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (template, "state")))
    template_state = json_object_get_string_member (template, "state");
  report = ks_report_store_lookup (self->store, report_id);
  if (template_state != NULL && apply_state)
    json_object_set_string_member (opt, "state", template_state);
  else if (template_state != NULL && report != NULL)
    {
      /* Keep the report's state: name it, so the template's is not applied.
       * A state that cannot be named (hidden) gets the template's text alone. */
      if (ks_state_is_public (ks_report_get_state (report)))
        json_object_set_string_member (body, "state", ks_report_get_state (report));
      else
        {
          g_autofree char *text = ks_session_expand_template (
            self, json_object_get_string_member_with_default (template, "text", ""), report);

          json_object_remove_member (body, "template_id");
          json_object_set_string_member (body, "text", text);
        }
    }
  run_action (self, update ? "update" : "acknowledge", report_id, "POST", path, body, TRUE, opt,
              ks_session_use_template_async, cancellable, callback, user_data);
}

static void
copy_member (JsonObject  *from,
             const char  *name,
             JsonNode    *node,
             gpointer     to)
{
  json_object_set_member (to, name, json_node_copy (node));
}

void
ks_session_create_report_async (KsSession *self, gint64 category_id, const char *title,
                                const char *detail, double lat, double lon,
                                const char *reporter_name, const char *reporter_email,
                                const char *reporter_phone,
                                GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  ks_session_create_report_with_photo_async (self, category_id, title, detail, lat, lon,
                                             reporter_name, reporter_email, reporter_phone,
                                             NULL, cancellable, callback, user_data);
}

void
ks_session_create_report_with_photo_async (KsSession *self, gint64 category_id, const char *title,
                                           const char *detail, double lat, double lon,
                                           const char *reporter_name, const char *reporter_email,
                                           const char *reporter_phone, GBytes *photo,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_set_int_member (body, "category_id", category_id);
  json_object_set_string_member (body, "title", title ? title : "");
  json_object_set_string_member (body, "detail", detail ? detail : "");
  json_object_set_double_member (body, "lat", lat);
  json_object_set_double_member (body, "lon", lon);
  if (reporter_name != NULL && *reporter_name != '\0')
    {
      JsonObject *reporter = json_object_new ();
      json_object_set_string_member (reporter, "name", reporter_name);
      if (reporter_email != NULL && *reporter_email != '\0')
        json_object_set_string_member (reporter, "email", reporter_email);
      if (reporter_phone != NULL && *reporter_phone != '\0')
        json_object_set_string_member (reporter, "phone", reporter_phone);
      json_object_set_object_member (body, "reporter", reporter);
    }
  else
    json_object_set_boolean_member (body, "as_council", TRUE);
  set_photo (body, photo);
  run_action (self, "create", 0, "POST", "/api/v1/reports", body, FALSE, NULL,
              ks_session_create_report_async, cancellable, callback, user_data);
}

void
ks_session_create_report_from_json_async (KsSession *self, JsonObject *fields, GBytes *photo,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (KS_IS_SESSION (self));
  json_object_foreach_member (fields, copy_member, body);
  set_photo (body, photo);
  run_action (self, "create", 0, "POST", "/api/v1/reports", body, FALSE, NULL,
              ks_session_create_report_async, cancellable, callback, user_data);
}

gboolean
ks_session_create_report_finish (KsSession     *self,
                                 GAsyncResult  *result,
                                 gint64        *out_id,
                                 gboolean      *out_queued,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (out_id != NULL)
    *out_id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (result), "id"));
  return ks_session_action_finish (self, result, out_queued, error);
}

char *
ks_session_expand_template (KsSession  *self,
                            const char *text,
                            KsReport   *report)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (KS_IS_SESSION (self), NULL);
  if (text == NULL)
    return g_strdup ("");
  out = g_string_new (NULL);
  for (p = text; *p; )
    {
      const char *end;
      if (p[0] == '{' && p[1] == '{' && (end = strstr (p + 2, "}}")) != NULL)
        {
          g_autofree char *name = g_strstrip (g_strndup (p + 2, end - p - 2));
          const char *value = NULL;
          const KsState *state;

          if (report != NULL && strcmp (name, "id") == 0)
            g_string_append_printf (out, "%" G_GINT64_FORMAT, report->id);
          else
            {
              if (report != NULL && strcmp (name, "title") == 0)
                value = report->title;
              else if (report != NULL && strcmp (name, "category") == 0)
                value = report->category;
              else if (report != NULL && strcmp (name, "ward") == 0)
                value = report->ward;
              else if (report != NULL && strcmp (name, "state") == 0)
                value = (state = ks_state_lookup (report->state)) ? state->label : report->state;
              else if (strcmp (name, "user") == 0)
                value = self->user_name;
              else if (strcmp (name, "council") == 0 && self->me != NULL &&
                       json_object_has_member (self->me, "body") &&
                       JSON_NODE_HOLDS_OBJECT (json_object_get_member (self->me, "body")))
                value = json_object_get_string_member (json_object_get_object_member (self->me, "body"), "name");
              g_string_append (out, value ? value : "");
            }
          p = end + 2;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}
