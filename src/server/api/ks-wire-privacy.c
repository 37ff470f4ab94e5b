/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-wire-privacy.c: the data-protection wire shapes (docs/api.md, "Data
 * protection"), written from the store's rows: the person export. */
#include "api/ks-wire-privacy.h"
#include "api/ks-wire-report.h"
#include "ks-time.h"

/* "key": id, or null. */
static void
member_nullable_int (KsJsonWriter *w, const char *key, gboolean set, gint64 value)
{
  ks_json_writer_key (w, key);
  if (set)
    ks_json_writer_int (w, value);
  else
    ks_json_writer_null (w);
}

static void
write_account (KsJsonWriter *w, const KsPersonData *p)
{
  const KsPersonAccount *a = &p->account;

  ks_json_writer_key (w, "staff_account");
  if (!p->has_account)
    {
      ks_json_writer_null (w);
      return;
    }
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", a->id);
  member_nullable_int (w, "body_id", a->has_body_id, a->body_id);
  ks_json_writer_member_string (w, "council", a->council);
  ks_json_writer_member_string (w, "email", a->email);
  ks_json_writer_member_string (w, "name", a->name);
  ks_json_writer_member_string (w, "phone", a->phone);
  ks_json_writer_member_bool (w, "is_superuser", a->is_superuser);
  ks_json_writer_member_bool (w, "active", a->active);
  ks_json_writer_member_bool (w, "two_factor_enabled", a->totp_enabled);
  ks_json_writer_member_timestamp (w, "created", a->created);
  ks_json_writer_member_timestamp (w, "updated", a->updated);
  ks_json_writer_member_timestamp (w, "last_login", a->last_login);

  ks_json_writer_key (w, "roles");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < p->roles->len; i++)
    {
      const KsPersonRole *role = &g_array_index (p->roles, KsPersonRole, i);
      ks_json_writer_begin_object (w);
      ks_json_writer_member_int (w, "id", role->id);
      ks_json_writer_member_string (w, "name", role->name);
      ks_json_writer_end_object (w);
    }
  ks_json_writer_end_array (w);

  ks_json_writer_key (w, "permissions");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < p->permissions->len; i++)
    ks_json_writer_string (w, g_array_index (p->permissions, const char *, i));
  ks_json_writer_end_array (w);

  ks_json_writer_key (w, "sessions");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < p->sessions->len; i++)
    {
      const KsSessionRow *s = &g_array_index (p->sessions, KsSessionRow, i);
      ks_json_writer_begin_object (w);
      ks_json_writer_member_int (w, "id", s->id);
      ks_json_writer_member_timestamp (w, "created", s->created);
      ks_json_writer_member_timestamp (w, "last_used", s->last_used);
      ks_json_writer_member_timestamp (w, "expires", s->expires);
      ks_json_writer_member_string (w, "address", s->address);
      ks_json_writer_member_string (w, "user_agent", s->user_agent);
      ks_json_writer_member_bool (w, "revoked", s->revoked);
      ks_json_writer_end_object (w);
    }
  ks_json_writer_end_array (w);

  ks_json_writer_key (w, "shortlist");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < p->shortlist->len; i++)
    ks_json_writer_int (w, g_array_index (p->shortlist, gint64, i));
  ks_json_writer_end_array (w);

  ks_json_writer_key (w, "failed_sign_ins");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < p->failed_sign_ins->len; i++)
    ks_json_writer_timestamp (w, g_array_index (p->failed_sign_ins, gint64, i));
  ks_json_writer_end_array (w);
  ks_json_writer_end_object (w);
}

static void
write_report (KsJsonWriter *w, const KsPersonData *p, const KsPersonReport *r)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", r->id);
  ks_json_writer_member_int (w, "body_id", r->body_id);
  ks_json_writer_member_string (w, "council", r->council);
  ks_json_writer_member_int (w, "category_id", r->category_id);
  ks_json_writer_member_string (w, "category", r->category);
  ks_json_writer_member_string (w, "title", r->title);
  ks_json_writer_member_string (w, "detail", r->detail);
  ks_json_writer_member_double (w, "lat", r->lat);
  ks_json_writer_member_double (w, "lon", r->lon);
  ks_json_writer_member_string (w, "ward", r->ward);
  ks_json_writer_member_string (w, "address", r->address);
  ks_json_writer_member_string (w, "state", r->state);
  member_nullable_int (w, "priority_id", r->has_priority_id, r->priority_id);
  ks_json_writer_key (w, "reporter");
  ks_json_writer_begin_object (w);
  ks_json_writer_member_string (w, "name", r->reporter_name);
  ks_json_writer_member_string (w, "email", r->reporter_email);
  ks_json_writer_member_string (w, "phone", r->reporter_phone);
  ks_json_writer_member_bool (w, "show_name", r->show_name);
  ks_json_writer_end_object (w);
  ks_json_writer_member_string (w, "photo", r->photo);
  ks_json_writer_member_string (w, "source", r->source);
  ks_json_writer_member_string (w, "external_id", r->external_id);
  ks_json_writer_member_timestamp (w, "created", r->created);
  ks_json_writer_member_timestamp (w, "confirmed", r->confirmed);
  ks_json_writer_member_timestamp (w, "updated", r->updated);
  ks_json_writer_member_timestamp (w, "acknowledged", r->acknowledged);
  ks_json_writer_member_int (w, "version", r->version);
  ks_json_writer_key (w, "attributes");
  ks_json_writer_begin_array (w);
  for (guint i = r->first_attribute; i < r->first_attribute + r->n_attributes; i++)
    {
      const KsPersonAttribute *a = &g_array_index (p->attributes, KsPersonAttribute, i);
      ks_json_writer_begin_object (w);
      ks_json_writer_member_string (w, "code", a->code);
      ks_json_writer_member_string (w, "value", a->value);
      ks_json_writer_end_object (w);
    }
  ks_json_writer_end_array (w);
  /* Their answers that a correction replaced or dropped (who corrected is not
   * their data: the timeline entry's id and time only). */
  ks_json_writer_key (w, "attribute_history");
  ks_json_writer_begin_array (w);
  for (guint i = r->first_previous; i < r->first_previous + r->n_previous; i++)
    {
      const KsPersonPreviousAnswer *a = &g_array_index (p->previous_answers,
                                                        KsPersonPreviousAnswer, i);
      ks_json_writer_begin_object (w);
      ks_json_writer_member_int (w, "update_id", a->update_id);
      ks_json_writer_member_timestamp (w, "changed", a->changed);
      ks_json_writer_member_string (w, "code", a->code);
      ks_json_writer_member_string (w, "value", a->value);
      ks_json_writer_end_object (w);
    }
  ks_json_writer_end_array (w);
  ks_json_writer_end_object (w);
}

static void
write_update (KsJsonWriter *w, const KsPersonUpdate *u)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", u->id);
  ks_json_writer_member_int (w, "report_id", u->report_id);
  ks_json_writer_member_string (w, "written_as", u->by_staff ? "staff" : "resident");
  ks_json_writer_member_string (w, "kind", u->kind);
  ks_json_writer_member_string (w, "text", u->text);
  ks_json_writer_member_string (w, "state", u->state);
  ks_json_writer_member_bool (w, "public", u->is_public);
  ks_json_writer_member_string (w, "source", u->source);
  ks_json_writer_member_string (w, "author_name", u->author_name);
  ks_json_writer_member_string (w, "author_email", u->author_email);
  ks_json_writer_member_string (w, "photo", u->photo);
  ks_json_writer_member_timestamp (w, "created", u->created);
  ks_json_writer_end_object (w);
}

static void
write_moderation (KsJsonWriter *w, const KsModerationRow *m)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", m->id);
  ks_json_writer_member_int (w, "report_id", m->report_id);
  ks_json_writer_member_string (w, "reason", m->reason);
  ks_json_writer_member_timestamp (w, "created", m->created);
  member_nullable_int (w, "update_id", m->update_id != 0, m->update_id);
  ks_json_writer_member_string (w, "action", m->action ? m->action : "edit");
  ks_wire_report_moderation_change (w, m);
  ks_json_writer_end_object (w);
}

static void
write_media (KsJsonWriter *w, const KsPersonMedia *m)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "report_id", m->report_id);
  member_nullable_int (w, "update_id", m->update_id != 0, m->update_id);
  ks_json_writer_member_string (w, "url", m->url);
  ks_json_writer_end_object (w);
}

static void
write_email (KsJsonWriter *w, const KsPersonEmail *e)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", e->id);
  ks_json_writer_member_string (w, "recipient", e->recipient);
  ks_json_writer_member_string (w, "subject", e->subject);
  ks_json_writer_member_string (w, "file", e->file);
  ks_json_writer_member_bool (w, "sent", e->file != NULL);
  member_nullable_int (w, "report_id", e->has_report_id, e->report_id);
  ks_json_writer_member_timestamp (w, "created", e->created);
  ks_json_writer_end_object (w);
}

/* Who else acted (their id and address) is not the person's data: left out. */
static void
write_audit (KsJsonWriter *w, const KsPersonAudit *a, gint64 account_id)
{
  gboolean by_them = account_id != 0 && a->user_id == account_id;

  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", a->id);
  ks_json_writer_member_timestamp (w, "at", a->at);
  ks_json_writer_member_bool (w, "by_this_person", by_them);
  member_nullable_int (w, "body_id", a->has_body_id, a->body_id);
  ks_json_writer_member_string (w, "action", a->action);
  ks_json_writer_member_string (w, "object_type", a->object_type);
  member_nullable_int (w, "object_id", a->has_object_id, a->object_id);
  if (by_them)
    ks_json_writer_member_string (w, "address", a->address);
  ks_json_writer_key (w, "details");
  if (a->details != NULL && *a->details != '\0')
    ks_json_writer_raw (w, a->details);
  else
    ks_json_writer_null (w);
  ks_json_writer_end_object (w);
}

gboolean
ks_wire_privacy_write_person (KsStore         *store,
                              const char      *email,
                              gint64           body_id,
                              gint64           account_id,
                              KsJsonWriter    *w,
                              KsPrivacyCounts *found,
                              GError         **error)
{
  g_auto(KsPersonData) p = { 0 };
  gint64 generated = ks_time_now ();

  ks_person_data_init (&p);
  if (!ks_store_privacy_get_person (store, email, body_id, account_id, &p, error))
    return FALSE;

  ks_json_writer_begin_object (w);
  ks_json_writer_member_string (w, "email", email);
  ks_json_writer_member_timestamp (w, "generated", generated);
  member_nullable_int (w, "body_id", body_id != 0, body_id);
  ks_json_writer_member_bool (w, "email_opt_out", p.email_opt_out);
  write_account (w, &p);

  ks_json_writer_key (w, "reports");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < p.reports->len; i++)
    write_report (w, &p, &g_array_index (p.reports, KsPersonReport, i));
  ks_json_writer_end_array (w);

  ks_json_writer_key (w, "updates");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < p.updates->len; i++)
    write_update (w, &g_array_index (p.updates, KsPersonUpdate, i));
  ks_json_writer_end_array (w);

  ks_json_writer_key (w, "moderation");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < p.moderation->len; i++)
    write_moderation (w, &g_array_index (p.moderation, KsModerationRow, i));
  ks_json_writer_end_array (w);

  ks_json_writer_key (w, "media_urls");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < p.media->len; i++)
    write_media (w, &g_array_index (p.media, KsPersonMedia, i));
  ks_json_writer_end_array (w);

  ks_json_writer_key (w, "emails");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < p.emails->len; i++)
    write_email (w, &g_array_index (p.emails, KsPersonEmail, i));
  ks_json_writer_end_array (w);

  ks_json_writer_key (w, "audit");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < p.audit->len; i++)
    write_audit (w, &g_array_index (p.audit, KsPersonAudit, i), account_id);
  ks_json_writer_end_array (w);
  ks_json_writer_end_object (w);

  if (found != NULL)
    {
      found->reports = p.reports->len;
      found->updates = p.updates->len;
      found->emails = p.emails->len;
    }
  return TRUE;
}
