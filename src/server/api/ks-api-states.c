/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-states.c: a council's own report states (/api/v1/council-states:
 * list, create, update; edit_categories), and the process's table of them
 * (common/ks-states.c), which every state check, grouping and mapping reads:
 * filled when the server starts, after each change here, and again when a
 * state is not found (another server instance may have added it). */
#define G_LOG_DOMAIN "ks-api-states"

#include "api/ks-api.h"
#include "api/ks-api-admin-util.h"
#include "api/ks-api-states.h"
#include "ks-states.h"

#include <string.h>

static void
register_row (const KsAdminRow *row)
{
  KsState state = { 0 };
  KsStateKind kind;
  const KsAdminValue *status = ks_admin_row_get (row, "open311_status");

  if (!ks_state_kind_from_id (ks_admin_row_get (row, "kind")->text, &kind))
    return;
  state.id = ks_admin_row_get (row, "code")->text;
  state.label = ks_admin_row_get (row, "label")->text;
  state.kind = kind;
  state.body_id = ks_admin_row_get (row, "body_id")->number;
  state.open311_status = status->is_null ? NULL : status->text;
  state.inactive = ks_admin_row_get (row, "active")->number == 0;
  state.position = (int) ks_admin_row_get (row, "position")->number;
  if (!ks_states_register (&state))
    g_warning ("The state “%s” clashes with another; it is left out.", state.id);
}

gboolean
ks_api_states_load (KsStore  *store,
                    GError  **error)
{
  g_autoptr(GArray) rows = ks_admin_rows_new ();
  KsAdminQuery query = KS_ADMIN_QUERY_INIT;
  gboolean more = FALSE;

  if (!ks_store_admin_list (store, KS_ADMIN_OBJECT_STATE, 0, &query, rows, &more, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    register_row (&g_array_index (rows, KsAdminRow, i));
  return TRUE;
}

/* At most one reload a second for states not found. */
static gint64 last_reload;

const KsState *
ks_api_state_lookup (KsStore    *store,
                     const char *id)
{
  const KsState *s = ks_state_lookup (id);
  gint64 now = g_get_monotonic_time ();

  if (s != NULL || id == NULL || now - last_reload < G_USEC_PER_SEC)
    return s;
  last_reload = now;
  if (!ks_api_states_load (store, NULL))
    return NULL;
  return ks_state_lookup (id);
}

static void
handle_list (KsRequest *req)
{
  ks_api_admin_list (req, KS_ADMIN_OBJECT_STATE);
}

/* Registers the state as the store now has it. */
static void
refresh (KsRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!ks_api_states_load (req->store, &error))
    g_warning ("Could not read the councils' states again: %s", error->message);
}

static void
handle_create (KsRequest *req)
{
  ks_api_admin_create (req, KS_ADMIN_OBJECT_STATE);
  if (req->status == 201)
    refresh (req);
}

static void
handle_update (KsRequest *req)
{
  ks_api_admin_update (req, KS_ADMIN_OBJECT_STATE);
  if (req->status == 200)
    refresh (req);
}

void
ks_api_states_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/council-states", 0, KS_PERM_NONE, handle_list);
  ks_router_add (router, "POST", "/api/v1/council-states", 0, KS_PERM_EDIT_CATEGORIES,
                 handle_create);
  ks_router_add (router, "PATCH", "/api/v1/council-states/{id}", 0, KS_PERM_EDIT_CATEGORIES,
                 handle_update);
}
