/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-admin-writer.c: the admin kinds' objects and lists as JSON, driven by
 * their descriptions. */
#include "api/ks-admin-writer.h"

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
