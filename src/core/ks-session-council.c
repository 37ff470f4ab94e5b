/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-session-council.c: the council a session works in. Staff work in their
 * own; a platform operator (superuser) chooses one and switches between them.
 * Each council then has a cache of its own, its own sync and reference lists,
 * and every request names it, so that councils never mix. */
#define G_LOG_DOMAIN "ks-session"

#include "ks-session-private.h"
#include "ks-admin.h"
#include "ks-error.h"

#include <glib/gi18n.h>

static gint64
me_body_id (JsonObject *me)
{
  JsonObject *body;

  if (me == NULL || !json_object_has_member (me, "body") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (me, "body")))
    return 0;
  body = json_object_get_object_member (me, "body");
  return json_object_get_int_member_with_default (body, "id", 0);
}

gboolean
ks_session_is_superuser (KsSession *self)
{
  g_return_val_if_fail (KS_IS_SESSION (self), FALSE);
  return self->me != NULL && json_object_get_boolean_member_with_default (self->me, "is_superuser", FALSE);
}

gint64
ks_session_get_council_id (KsSession *self)
{
  g_return_val_if_fail (KS_IS_SESSION (self), 0);
  return ks_session_is_superuser (self) ? self->council_id : me_body_id (self->me);
}

void
ks_session_set_preferred_council (KsSession *self,
                                  gint64     council_id)
{
  g_return_if_fail (KS_IS_SESSION (self));
  self->preferred_council = MAX (council_id, 0);
}

void
ks_session_choose_start_council (KsSession *self)
{
  if (!ks_session_is_superuser (self))
    self->council_id = 0;
  /* A preferred council is checked against the list of councils first
   * (ks_session_start_first_council): it may no longer exist. */
  else if (self->council_id == 0 && self->preferred_council == 0)
    self->council_id = me_body_id (self->me);
  if (self->client != NULL)
    ks_client_set_council_id (self->client, self->council_id);
}

/* Stops what runs for the council left, keeping the sign-in. */
static void
leave_council (KsSession *self)
{
  ks_session_stop_engines (self);
  /* Without view_offline nothing with personal data stays on disk: not the
   * council left either. Writes waiting to be sent keep it. */
  if (self->cache != NULL && !ks_session_can (self, KS_PERM_VIEW_OFFLINE))
    {
      g_autoptr(GError) error = NULL;
      if (!ks_cache_wipe (self->cache, &error))
        g_warning ("%s", error->message);
    }
  g_clear_object (&self->cache);
  ks_report_store_clear (self->store);
  ks_session_clear_lists (self);
}

gboolean
ks_session_switch_council (KsSession  *self,
                           gint64      council_id,
                           GError    **error)
{
  g_return_val_if_fail (KS_IS_SESSION (self), FALSE);

  if (!self->signed_in || !ks_session_is_superuser (self))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FORBIDDEN, "%s",
                   _("Only platform operators work in several councils."));
      return FALSE;
    }
  if (council_id <= 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "%s", _("Choose a council from the list."));
      return FALSE;
    }
  if (council_id == self->council_id)
    return TRUE;
  if (self->outbox != NULL && ks_outbox_get_n_pending (self->outbox) > 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_CONFLICT, "%s",
                   _("Changes to this council's reports are still waiting to be sent. Switch councils once they are sent (see Pending Changes)."));
      return FALSE;
    }
  leave_council (self);
  self->council_id = council_id;
  self->signed_in = FALSE;
  if (!ks_session_start (self, error))
    {
      ks_session_teardown (self);
      g_signal_emit (self, ks_session_signals[KS_SESSION_SIGNAL_SIGNED_OUT], 0,
                     error != NULL && *error != NULL ? (*error)->message : NULL);
      return FALSE;
    }
  g_signal_emit (self, ks_session_signals[KS_SESSION_SIGNAL_LISTS_CHANGED], 0);
  g_signal_emit (self, ks_session_signals[KS_SESSION_SIGNAL_COUNCIL_CHANGED], 0);
  ks_session_start_background (self);
  return TRUE;
}

/* The council a platform operator starts in: the preferred one if it is
 * listed, else their own, else the first by name. */
static gint64
start_council (KsSession *self,
               JsonArray *councils)
{
  gint64 want[] = { self->preferred_council, me_body_id (self->me) };

  for (guint w = 0; w < G_N_ELEMENTS (want); w++)
    for (guint i = 0; want[w] > 0 && i < json_array_get_length (councils); i++)
      {
        JsonObject *o = json_array_get_object_element (councils, i);

        if (o != NULL && json_object_get_int_member_with_default (o, "id", 0) == want[w])
          return want[w];
      }
  for (guint i = 0; i < json_array_get_length (councils); i++)
    {
      JsonObject *o = json_array_get_object_element (councils, i);

      if (o != NULL && json_object_get_int_member_with_default (o, "id", 0) > 0)
        return json_object_get_int_member (o, "id");
    }
  return 0;
}

static void
on_first_councils (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KsSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) councils = ks_admin_list_finish (KS_CLIENT (source), result, &error);
  gint64 id;

  if (councils == NULL)
    {
      g_debug ("councils: %s", error->message);
      return;
    }
  if (!self->signed_in || self->council_id != 0 || (id = start_council (self, councils)) == 0)
    return;
  if (!ks_session_switch_council (self, id, &error))
    g_debug ("councils: %s", error->message);
}

void
ks_session_start_first_council (KsSession *self)
{
  ks_admin_list_async (self->client, KS_ADMIN_COUNCILS, NULL, self->cancellable,
                       on_first_councils, g_object_ref (self));
}
