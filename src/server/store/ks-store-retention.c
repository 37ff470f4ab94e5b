/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-retention.c: dispatchers of the store's retention operations. */
#include "store/ks-store.h"

static void
report_clear (gpointer data)
{
  KsRetentionReport *r = data;
  g_clear_pointer (&r->state, g_free);
  g_clear_pointer (&r->title, g_free);
}

static void
staff_clear (gpointer data)
{
  KsRetentionStaff *s = data;
  g_clear_pointer (&s->name, g_free);
  g_clear_pointer (&s->email, g_free);
}

GArray *
ks_retention_reports_new (void)
{
  GArray *a = g_array_new (FALSE, TRUE, sizeof (KsRetentionReport));
  g_array_set_clear_func (a, report_clear);
  return a;
}

GArray *
ks_retention_staff_new (void)
{
  GArray *a = g_array_new (FALSE, TRUE, sizeof (KsRetentionStaff));
  g_array_set_clear_func (a, staff_clear);
  return a;
}

void
ks_retention_reports_append (GArray *out, gint64 id, const char *state, const char *title,
                             gint64 updated)
{
  KsRetentionReport r = {
    .id = id, .state = g_strdup (state), .title = g_strdup (title), .updated = updated,
  };
  g_array_append_val (out, r);
}

void
ks_retention_staff_append (GArray *out, gint64 id, const char *name, const char *email,
                           gint64 last_used)
{
  KsRetentionStaff s = {
    .id = id, .name = g_strdup (name), .email = g_strdup (email), .last_used = last_used,
  };
  g_array_append_val (out, s);
}

gboolean ks_store_retention_old_reports (KsStore *self, gint64 body_id, gint64 before, GArray **out, GError **error)
{ return KS_STORE_DISPATCH (self, retention, old_reports, body_id, before, out, error); }
gboolean ks_store_retention_unused_staff (KsStore *self, gint64 body_id, gint64 before, GArray **out, GError **error)
{ return KS_STORE_DISPATCH (self, retention, unused_staff, body_id, before, out, error); }
gboolean ks_store_retention_count_audit (KsStore *self, gint64 body_id, gint64 before, gint64 *out, GError **error)
{ return KS_STORE_DISPATCH (self, retention, count_audit, body_id, before, out, error); }
gboolean ks_store_retention_purge_audit (KsStore *self, gint64 body_id, gint64 before, gint64 *out, GError **error)
{ return KS_STORE_DISPATCH (self, retention, purge_audit, body_id, before, out, error); }
gboolean ks_store_retention_claim_day (KsStore *self, gint64 day, gboolean *out_claimed, GError **error)
{ return KS_STORE_DISPATCH (self, retention, claim_day, day, out_claimed, error); }
gboolean ks_store_retention_last_day (KsStore *self, gint64 *out, GError **error)
{ return KS_STORE_DISPATCH (self, retention, last_day, out, error); }
