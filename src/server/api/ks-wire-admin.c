/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-wire-admin.c: the admin kinds' objects and lists as JSON, driven by
 * their descriptions; the council's settings; the audit log's pages. */
#include "api/ks-wire-admin.h"

static void
write_value (KsJsonWriter       *w,
             const KsAdminField *f,
             const KsAdminValue *v)
{
  switch (f->type)
    {
    case KS_ADMIN_TYPE_INT:
    case KS_ADMIN_TYPE_COUNT:
      ks_json_writer_int (w, v->number);
      break;
    case KS_ADMIN_TYPE_NULLABLE_INT:
      if (v->is_null)
        ks_json_writer_null (w);
      else
        ks_json_writer_int (w, v->number);
      break;
    case KS_ADMIN_TYPE_TEXT:
      ks_json_writer_string (w, v->text);
      break;
    case KS_ADMIN_TYPE_BOOL:
      ks_json_writer_bool (w, v->number != 0);
      break;
    case KS_ADMIN_TYPE_TIMESTAMP:
      ks_json_writer_timestamp (w, v->number);
      break;
    case KS_ADMIN_TYPE_GROUPS:
      ks_json_writer_begin_array (w);
      if (v->text != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (v->text, "|", -1);
          for (guint i = 0; parts[i]; i++)
            if (*parts[i] != '\0')
              ks_json_writer_string (w, parts[i]);
        }
      ks_json_writer_end_array (w);
      break;
    case KS_ADMIN_TYPE_QUESTIONS:
      ks_json_writer_raw (w, (v->text != NULL && *v->text != '\0') ? v->text : "[]");
      break;
    case KS_ADMIN_TYPE_ID_LINKS:
      ks_json_writer_begin_array (w);
      for (guint i = 0; v->ids != NULL && i < v->ids->len; i++)
        ks_json_writer_int (w, g_array_index (v->ids, gint64, i));
      ks_json_writer_end_array (w);
      break;
    case KS_ADMIN_TYPE_PERMISSIONS:
      ks_json_writer_begin_array (w);
      for (guint p = 0; p < KS_N_PERMISSIONS; p++)
        if (KS_PERMISSION_SET_HAS (v->permissions, p))
          ks_json_writer_string (w, ks_permission_id (p));
      ks_json_writer_end_array (w);
      break;
    case KS_ADMIN_TYPE_REFS:
      ks_json_writer_begin_array (w);
      for (guint i = 0; v->ids != NULL && i < v->ids->len; i++)
        {
          ks_json_writer_begin_object (w);
          ks_json_writer_member_int (w, "id", g_array_index (v->ids, gint64, i));
          ks_json_writer_member_string (w, "name", g_ptr_array_index (v->names, i));
          ks_json_writer_end_object (w);
        }
      ks_json_writer_end_array (w);
      break;
    default:
      g_assert_not_reached ();
    }
}

void
ks_admin_write_row (KsJsonWriter     *w,
                    const KsAdminRow *row)
{
  const KsAdminKind *kind = row->kind;

  ks_json_writer_begin_object (w);
  for (guint i = 0; kind->fields[i].name; i++)
    {
      const KsAdminField *f = &kind->fields[i];

      if (f->flags & KS_ADMIN_FIELD_WRITE_ONLY)
        continue;
      ks_json_writer_key (w, f->name);
      write_value (w, f, &row->values[i]);
    }
  ks_json_writer_end_object (w);
}

void
ks_admin_write_list (KsJsonWriter      *w,
                     const KsAdminKind *kind,
                     GArray            *rows,
                     gboolean           more)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_key (w, kind->list_key);
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < rows->len; i++)
    ks_admin_write_row (w, &g_array_index (rows, KsAdminRow, i));
  ks_json_writer_end_array (w);
  ks_json_writer_key (w, "next_cursor");
  if (more && rows->len > 0)
    {
      char buf[24];
      g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT,
                  ks_admin_row_id (&g_array_index (rows, KsAdminRow, rows->len - 1)));
      ks_json_writer_string (w, buf);
    }
  else
    ks_json_writer_null (w);
  ks_json_writer_end_object (w);
}

void
ks_wire_write_body (KsJsonWriter    *w,
                    const KsBodyRow *body)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", body->id);
  ks_json_writer_member_string (w, "name", body->name);
  ks_json_writer_member_string (w, "slug", body->slug);
  ks_json_writer_member_string (w, "area_name", body->area_name);
  ks_json_writer_key (w, "bbox");
  if (!body->has_bbox)
    ks_json_writer_null (w);
  else
    {
      ks_json_writer_begin_array (w);
      ks_json_writer_double (w, body->min_lon);
      ks_json_writer_double (w, body->min_lat);
      ks_json_writer_double (w, body->max_lon);
      ks_json_writer_double (w, body->max_lat);
      ks_json_writer_end_array (w);
    }
  ks_json_writer_member_bool (w, "require_2fa", body->require_2fa);
  ks_json_writer_member_int (w, "password_min_length", body->password_min_length);
  ks_json_writer_member_int (w, "max_photos", body->max_photos);
  ks_json_writer_member_string (w, "email", body->email);
  ks_json_writer_member_string (w, "public_url", body->public_url);
  ks_json_writer_member_int (w, "duplicate_radius", body->duplicate_radius);
  ks_json_writer_member_int (w, "retention_reporter_days", body->retention_reporter_days);
  ks_json_writer_member_int (w, "retention_audit_days", body->retention_audit_days);
  ks_json_writer_member_int (w, "retention_staff_days", body->retention_staff_days);
  ks_json_writer_member_timestamp (w, "created", body->created);
  ks_json_writer_end_object (w);
}

void
ks_wire_write_audit_page (KsJsonWriter *w,
                          GPtrArray    *entries,
                          gboolean      more)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_key (w, "entries");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < entries->len; i++)
    {
      const KsAuditEntry *e = g_ptr_array_index (entries, i);

      ks_json_writer_begin_object (w);
      ks_json_writer_member_int (w, "id", e->id);
      ks_json_writer_member_timestamp (w, "at", e->at);
      ks_json_writer_key (w, "body_id");
      if (e->has_body)
        ks_json_writer_int (w, e->body_id);
      else
        ks_json_writer_null (w);
      ks_json_writer_key (w, "user");
      if (!e->has_user)
        ks_json_writer_null (w);
      else
        {
          ks_json_writer_begin_object (w);
          ks_json_writer_member_int (w, "id", e->user_id);
          ks_json_writer_member_string (w, "name", e->user_name);
          ks_json_writer_member_string (w, "email", e->user_email);
          ks_json_writer_end_object (w);
        }
      ks_json_writer_member_string (w, "action", e->action);
      ks_json_writer_member_string (w, "object_type", e->object_type);
      ks_json_writer_key (w, "object_id");
      if (e->has_object)
        ks_json_writer_int (w, e->object_id);
      else
        ks_json_writer_null (w);
      ks_json_writer_member_string (w, "address", e->address);
      ks_json_writer_key (w, "details");
      if (e->details == NULL || *e->details == '\0')
        ks_json_writer_null (w);
      else
        ks_json_writer_raw (w, e->details);
      ks_json_writer_end_object (w);
    }
  ks_json_writer_end_array (w);
  ks_json_writer_key (w, "next_cursor");
  if (more && entries->len > 0)
    {
      const KsAuditEntry *last = g_ptr_array_index (entries, entries->len - 1);
      g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
                                                 last->at, last->id);
      ks_json_writer_string (w, cursor);
    }
  else
    ks_json_writer_null (w);
  ks_json_writer_end_object (w);
}
