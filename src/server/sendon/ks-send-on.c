/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-send-on.c: the send-on worker (see ks-send-on.h): its rounds and thread. */
#define G_LOG_DOMAIN "ks-send-on"

#include "config.h"
#include "sendon/ks-send-on.h"
#include "sendon/ks-send-on-email.h"
#include "sendon/ks-send-on-open311.h"
#include "open311/ks-open311-status.h"
#include "ks-error.h"
#include "ks-time.h"
#include "ks-worker-loop.h"

#include <string.h>

#define ROUND_LIMIT 20
/* Updates are read from a little before the last reading, in case the
 * contractor's clock is behind; each update is applied once all the same. */
#define UPDATES_OVERLAP 300

struct _KsSendOn
{
  const KsServerConfig *config;   /* the server's, alive longer than the worker */
  KsSendOnConfig        so;
  KsStore              *store;
  SoupSession          *session;  /* the worker thread's own */
  GMainContext         *context;  /* the worker thread's default */
  KsWorkerLoop         *loop;
  gint64                last_updates;  /* monotonic time of the last reading; 0: never */
};

/* A claimed Open311 sending, POSTed after the claim is committed. */
typedef struct {
  gint64 id;
  gint64 generation;
} Claim;

static gboolean
is_open311 (const KsSending *s)
{
  return g_str_has_prefix (s->destination, "open311:");
}

static void
set_error (KsSending *s, const char *status, const char *why)
{
  char *text = g_strdup (why);   /* why may be s->last_error itself */

  g_free (s->status);
  s->status = g_strdup (status);
  g_free (s->last_error);
  s->last_error = text;
}

/* After a failed attempt that may pass: retrying after a doubling wait, or failed
 * once the attempts are used up. */
static void
retry_or_fail (KsSendOn *self, KsSending *s, gint64 now, const char *why)
{
  gint64 wait = self->so.retry_seconds;

  if (s->attempts >= self->so.max_attempts)
    {
      g_autofree char *text = g_strdup_printf ("%s (given up after %" G_GINT64_FORMAT
                                               " attempts)", why, s->attempts);
      set_error (s, KS_SENDING_FAILED, text);
      return;
    }
  for (gint64 i = 1; i < s->attempts && wait < self->so.retry_max_seconds; i++)
    wait *= 2;
  set_error (s, KS_SENDING_RETRYING, why);
  s->next_attempt = now + MIN (wait, self->so.retry_max_seconds);
}

static void
mark_sent (KsSending *s, gint64 now, const char *remote_id)
{
  set_error (s, KS_SENDING_SENT, NULL);
  g_free (s->remote_id);
  s->remote_id = g_strdup (remote_id);
  s->sent = now;
  /* Updates of the requests made before a resend may still be unread. */
  if (remote_id != NULL && s->polled_until == 0)
    s->polled_until = now;
}

static char *
idempotency_key (const KsServerConfig *config, const KsSending *s)
{
  g_autofree char *seed = g_strdup_printf ("%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%"
                                           G_GINT64_FORMAT, config->public_url ? config->public_url : "",
                                           s->id, s->generation, s->created);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);

  return g_strdup_printf ("kerbside-%.32s", hash);
}

/* The endpoint of an open311:NAME destination of the council body_id: its active
 * Open311 destination of that name in the database (held in *owned), else the
 * [open311 NAME] group of the configuration; *out NULL: neither. */
static gboolean
find_endpoint (KsSendOn *self, gint64 body_id, const char *destination,
               KsOpen311Endpoint **owned, const KsOpen311Endpoint **out, GError **error)
{
  g_auto(KsSendingDestination) d = { 0 };
  gboolean found = FALSE;

  *out = NULL;
  if (!g_str_has_prefix (destination, "open311:"))
    return TRUE;
  if (!ks_store_sendings_destination (self->store, body_id, destination + strlen ("open311:"),
                                      &found, &d, error))
    return FALSE;
  if (found)
    *out = *owned = ks_open311_endpoint_new (d.name, d.endpoint, d.api_key, d.jurisdiction_id,
                                             d.idempotent);
  else
    *out = ks_send_on_config_endpoint (&self->so, destination);
  return TRUE;
}

/* One due sending, inside the round's write: an email is sent now; an Open311
 * request is claimed (appended to claims). */
static gboolean
take_one (KsSendOn *self, gint64 id, gint64 now, GArray *claims, GError **error)
{
  g_auto(KsSending) s = { 0 };
  g_autoptr(GError) local = NULL;
  g_autoptr(KsOpen311Endpoint) owned = NULL;
  const KsOpen311Endpoint *endpoint;
  gboolean found = FALSE;

  if (!ks_store_sendings_get (self->store, id, &found, &s, error))
    return FALSE;
  if (!found)
    return TRUE;
  s.updated = now;
  if (!is_open311 (&s))
    {
      s.attempts++;
      if (ks_send_on_email (self->config, self->store, &s, &local))
        mark_sent (&s, now, NULL);
      else if (local->domain == KS_ERROR && local->code == KS_ERROR_INVALID)
        set_error (&s, KS_SENDING_FAILED, local->message);
      else
        retry_or_fail (self, &s, now, local->message);
      if (g_strcmp0 (s.status, KS_SENDING_SENT) != 0)
        g_message ("Sending %" G_GINT64_FORMAT " of report %" G_GINT64_FORMAT " to %s: %s: %s",
                   s.id, s.report_id, s.destination, s.status, s.last_error);
      return ks_store_sendings_save (self->store, &s, error);
    }

  if (!find_endpoint (self, s.body_id, s.destination, &owned, &endpoint, error))
    return FALSE;
  if (endpoint == NULL)
    set_error (&s, KS_SENDING_FAILED,
               "There is no such Open311 destination: add it to the council's Open311 "
               "destinations (or an [open311 NAME] group to the server's configuration, "
               "docs/admin.md), then resend.");
  else if (g_strcmp0 (s.status, KS_SENDING_SENDING) == 0 && !endpoint->idempotent)
    set_error (&s, KS_SENDING_FAILED,
               "An attempt was sent but its answer was lost (the server stopped or the "
               "connection broke), and this service does not say it honours Idempotency-Key: "
               "not sent again, so as not to make the request twice. Look for it at the "
               "contractor, and resend if it is not there.");
  else
    {
      Claim c = { s.id, s.generation };

      set_error (&s, KS_SENDING_SENDING, s.last_error);
      s.attempts++;
      /* Long enough for the exchange; a claim still here after that lost its answer. */
      s.next_attempt = now + 2 * (gint64) self->so.timeout_seconds + 60;
      g_array_append_val (claims, c);
    }
  if (g_strcmp0 (s.status, KS_SENDING_FAILED) == 0)
    g_message ("Sending %" G_GINT64_FORMAT " of report %" G_GINT64_FORMAT " to %s: failed: %s",
               s.id, s.report_id, s.destination, s.last_error);
  return ks_store_sendings_save (self->store, &s, error);
}

/* POSTs a claimed sending and records what came of it. */
static gboolean
post_one (KsSendOn *self, const Claim *c, GError **error)
{
  g_auto(KsSending) s = { 0 };
  g_autofree char *form = NULL, *key = NULL, *remote_id = NULL, *message = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(KsOpen311Endpoint) owned = NULL;
  const KsOpen311Endpoint *endpoint = NULL;
  KsOpen311PostOutcome outcome;
  gboolean found = FALSE;
  gint64 now;

  if (!ks_store_sendings_get (self->store, c->id, &found, &s, error))
    return FALSE;
  if (found && !find_endpoint (self, s.body_id, s.destination, &owned, &endpoint, error))
    return FALSE;
  if (!found || endpoint == NULL)
    return TRUE;
  if (!ks_send_on_open311_form (self->config, self->store, endpoint, s.report_id, &form, &local))
    {
      outcome = KS_OPEN311_REFUSED;
      message = g_strdup (local->message);
    }
  else
    {
      key = idempotency_key (self->config, &s);
      outcome = ks_send_on_open311_post (self->session, endpoint, form, key, &remote_id, &message);
    }

  if (!ks_store_begin_write (self->store, error))
    return FALSE;
  ks_sending_clear (&s);
  if (!ks_store_sendings_get (self->store, c->id, &found, &s, error))
    goto fail;
  /* Resent or changed meanwhile: this answer is not the row's any more. */
  if (!found || g_strcmp0 (s.status, KS_SENDING_SENDING) != 0 || s.generation != c->generation)
    return ks_store_commit (self->store, error);
  now = ks_time_now ();
  s.updated = now;
  switch (outcome)
    {
    case KS_OPEN311_POSTED:
      mark_sent (&s, now, remote_id);
      if (remote_id != NULL &&
          !ks_store_sendings_add_remote_id (self->store, s.id, remote_id, now, error))
        goto fail;
      break;
    case KS_OPEN311_NOT_DELIVERED:
      retry_or_fail (self, &s, now, message);
      break;
    case KS_OPEN311_ANSWER_LOST:
      if (endpoint->idempotent)
        retry_or_fail (self, &s, now, message);
      else
        {
          g_autofree char *why = g_strdup_printf (
            "The request was sent but its answer was lost (%s): not sent again, so as not "
            "to make it twice. Look for it at the contractor, and resend if it is not there.",
            message);
          set_error (&s, KS_SENDING_FAILED, why);
        }
      break;
    case KS_OPEN311_REFUSED:
    default:
      set_error (&s, KS_SENDING_FAILED, message);
      break;
    }
  g_message ("Sending %" G_GINT64_FORMAT " of report %" G_GINT64_FORMAT " to %s: %s%s%s",
             s.id, s.report_id, s.destination, s.status, s.last_error ? ": " : "",
             s.last_error ? s.last_error : "");
  if (!ks_store_sendings_save (self->store, &s, error) || !ks_store_commit (self->store, error))
    goto fail;
  return TRUE;

fail:
  ks_store_rollback (self->store);
  return FALSE;
}

static gboolean
send_due (KsSendOn *self, GError **error)
{
  for (;;)
    {
      g_autoptr(GArray) ids = NULL;
      g_autoptr(GArray) claims = g_array_new (FALSE, FALSE, sizeof (Claim));
      gint64 now = ks_time_now ();

      if (!ks_store_begin_write (self->store, error))
        return FALSE;
      if (!ks_store_sendings_due (self->store, now, ROUND_LIMIT, &ids, error))
        goto fail;
      for (guint i = 0; i < ids->len; i++)
        if (!take_one (self, g_array_index (ids, gint64, i), now, claims, error))
          goto fail;
      if (!ks_store_commit (self->store, error))
        goto fail;
      for (guint i = 0; i < claims->len; i++)
        if (!post_one (self, &g_array_index (claims, Claim, i), error))
          return FALSE;
      if (ids->len < ROUND_LIMIT)
        return TRUE;
    }

fail:
  ks_store_rollback (self->store);
  return FALSE;
}

/* ---- The contractors' updates ---- */

static char *
member_text (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE)
    return NULL;
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (n));
  if (json_node_get_value_type (n) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
  return NULL;
}

/* Applies one update of the contractor to the report of sending s, once. */
static gboolean
apply_update (KsSendOn *self, const KsOpen311Endpoint *endpoint, const KsSending *s,
              JsonObject *o, GError **error)
{
  g_autofree char *update_id = member_text (o, "update_id");
  g_autofree char *status = member_text (o, "status");
  g_autofree char *text = member_text (o, "description");
  g_autofree char *external_id = NULL, *author = NULL;
  g_auto(KsOpen311ReportInfo) report = { 0 };
  KsOpen311NewUpdate u = { 0 };
  const char *new_state = NULL;
  gboolean found = FALSE, is_new = FALSE;
  gint64 existing = 0, update = 0, now = ks_time_now ();

  if (update_id == NULL)
    return TRUE;
  external_id = g_strdup_printf ("open311:%s:%s", endpoint->name, update_id);
  if (!ks_store_begin_write (self->store, error))
    return FALSE;
  if (!ks_store_sendings_note_update (self->store, s->id, update_id, now, &is_new, error))
    goto fail;
  if (!is_new)
    return ks_store_commit (self->store, error);
  if (!ks_store_open311_get_report_info (self->store, s->report_id, &found, &report, error) ||
      !ks_store_open311_find_client_update (self->store, s->report_id, external_id, &existing,
                                            error))
    goto fail;
  if (found && existing == 0)
    {
      if (status != NULL && !ks_open311_state_for_status (status, report.state, &new_state))
        new_state = NULL;
      if (text != NULL && *text == '\0')
        g_clear_pointer (&text, g_free);
      if (new_state != NULL || text != NULL)
        {
          author = g_strdup_printf ("%s (contractor)", endpoint->name);
          u.report_id = s->report_id;
          u.new_state = new_state;
          u.text = text;
          u.external_id = external_id;
          u.author_name = author;
          u.created = now;
          if (!ks_store_open311_add_update (self->store, &u, &update, error))
            goto fail;
          g_message ("Report %" G_GINT64_FORMAT ": update %s from %s applied%s%s", s->report_id,
                     update_id, endpoint->name, new_state ? ", now " : "",
                     new_state ? new_state : "");
        }
    }
  return ks_store_commit (self->store, error);

fail:
  ks_store_rollback (self->store);
  return FALSE;
}

/* Reads the updates of one council's destination since the earliest of its
 * sendings' last readings, and applies each update of any request a sending
 * ever made (rows[from, to): sendings of one council and destination). */
static gboolean
read_updates (KsSendOn *self, GArray *rows, guint from, guint to, GError **error)
{
  const KsSending *first = &g_array_index (rows, KsSending, from);
  g_autoptr(GHashTable) by_remote = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), to - from);
  g_autoptr(GArray) remote_sendings = NULL;
  g_autoptr(GPtrArray) remote_ids = NULL;
  g_autoptr(KsOpen311Endpoint) owned = NULL;
  g_autoptr(JsonArray) updates = NULL;
  g_autoptr(GError) local = NULL;
  const KsOpen311Endpoint *endpoint = NULL;
  gint64 start = G_MAXINT64, end = ks_time_now ();

  if (!find_endpoint (self, first->body_id, first->destination, &owned, &endpoint, error))
    return FALSE;
  if (endpoint == NULL)
    return TRUE;
  for (guint i = from; i < to; i++)
    {
      KsSending *s = &g_array_index (rows, KsSending, i);

      start = MIN (start, s->polled_until > 0 ? s->polled_until : s->sent > 0 ? s->sent
                                                                              : s->created);
      g_array_append_val (ids, s->id);
      g_hash_table_insert (by_id, &s->id, s);
    }
  /* Every request these sendings made, in one read (a store a round trip
   * away would otherwise take one per sending, every round). */
  if (!ks_store_sendings_remote_ids (self->store, (const gint64 *) ids->data, ids->len,
                                     &remote_sendings, &remote_ids, error))
    return FALSE;
  for (guint j = 0; j < remote_ids->len; j++)
    {
      KsSending *s = g_hash_table_lookup (by_id, &g_array_index (remote_sendings, gint64, j));

      if (s != NULL)
        g_hash_table_insert (by_remote, g_ptr_array_index (remote_ids, j), s);
    }
  start -= UPDATES_OVERLAP;
  updates = ks_send_on_open311_updates (self->session, endpoint, start, end, &local);
  if (updates == NULL)
    {
      g_message ("The updates of %s could not be read: %s (trying again in %d s)",
                 first->destination, local->message, self->so.updates_seconds);
      return TRUE;
    }
  for (guint i = 0; i < json_array_get_length (updates); i++)
    {
      JsonNode *n = json_array_get_element (updates, i);
      g_autofree char *rid = NULL;
      const KsSending *s;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        continue;
      rid = member_text (json_node_get_object (n), "service_request_id");
      s = rid != NULL ? g_hash_table_lookup (by_remote, rid) : NULL;
      if (s != NULL && !apply_update (self, endpoint, s, json_node_get_object (n), error))
        return FALSE;
    }

  /* Read up to end: the next reading starts there (less the overlap). */
  if (!ks_store_begin_write (self->store, error))
    return FALSE;
  if (!ks_store_sendings_set_polled_until (self->store, (const gint64 *) ids->data, ids->len,
                                           end, error))
    {
      ks_store_rollback (self->store);
      return FALSE;
    }
  return ks_store_commit (self->store, error);
}

/* Every Open311 sending that made a request, by council and destination. */
static gboolean
read_all_updates (KsSendOn *self, GError **error)
{
  g_autoptr(GArray) rows = NULL;
  guint from = 0;

  if (!ks_store_sendings_polled (self->store, &rows, error))
    return FALSE;
  for (guint i = 1; i <= rows->len; i++)
    {
      const KsSending *a = &g_array_index (rows, KsSending, from);
      const KsSending *b = i < rows->len ? &g_array_index (rows, KsSending, i) : NULL;

      if (b != NULL && b->body_id == a->body_id && strcmp (b->destination, a->destination) == 0)
        continue;
      if (!read_updates (self, rows, from, i, error))
        return FALSE;
      from = i;
    }
  return TRUE;
}

static gboolean
run_round (KsSendOn *self, GError **error)
{
  gint64 mono = g_get_monotonic_time ();

  if (!send_due (self, error))
    return FALSE;
  if (self->last_updates == 0 ||
      mono - self->last_updates >= self->so.updates_seconds * G_TIME_SPAN_SECOND)
    {
      self->last_updates = mono;
      if (!read_all_updates (self, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- The thread ---- */

static void
send_on_setup (gpointer data)
{
  KsSendOn *self = data;

  /* libsoup's blocking calls run on this thread's own context. */
  self->context = g_main_context_new ();
  g_main_context_push_thread_default (self->context);
  self->session = soup_session_new_with_options ("timeout", self->so.timeout_seconds,
                                                 "idle-timeout", self->so.timeout_seconds,
                                                 "user-agent", "Kerbside/" PACKAGE_VERSION,
                                                 NULL);
}

static void
send_on_round (KsWorkerLoop *loop, gpointer data)
{
  KsSendOn *self = data;
  g_autoptr(GError) error = NULL;

  if (!run_round (self, &error))
    g_warning ("Sending reports on: %s (trying again in %d s)", error->message,
               self->so.poll_seconds);
}

static void
send_on_teardown (gpointer data)
{
  KsSendOn *self = data;

  g_clear_object (&self->session);
  g_main_context_pop_thread_default (self->context);
  g_clear_pointer (&self->context, g_main_context_unref);
}

KsSendOn *
ks_send_on_start (const KsServerConfig *config, KsSendOnConfig *send_on, KsStore *store)
{
  KsSendOn *self = g_new0 (KsSendOn, 1);
  KsWorkerLoopSpec spec = { .name = "ks-send-on", .every_seconds = send_on->poll_seconds,
                            .setup = send_on_setup, .round = send_on_round,
                            .teardown = send_on_teardown };

  self->config = config;
  self->so = *send_on;
  memset (send_on, 0, sizeof *send_on);
  self->store = g_object_ref (store);
  self->loop = ks_worker_loop_start (&spec, self);
  return self;
}

void
ks_send_on_stop (KsSendOn *self)
{
  if (self == NULL)
    return;
  ks_worker_loop_stop (self->loop);
  g_object_unref (self->store);
  ks_send_on_config_clear (&self->so);
  g_free (self);
}
