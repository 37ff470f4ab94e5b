/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-wire-account.c: the account's wire shapes (docs/api.md), written from the
 * store's rows: the /me object and the list of one's sessions. */
#include "api/ks-wire-account.h"
#include "ks-time.h"

/* The wards and categories the person works in: the app's default filters. */
static void
write_assignment (KsJsonWriter *w, const char *const *wards, GArray *category_ids,
                  const KsPrincipal *who)
{
  ks_json_writer_key (w, "wards");
  ks_json_writer_begin_array (w);
  for (guint i = 0; wards[i] != NULL; i++)
    ks_json_writer_string (w, wards[i]);
  ks_json_writer_end_array (w);
  ks_json_writer_key (w, "category_ids");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < category_ids->len; i++)
    ks_json_writer_int (w, g_array_index (category_ids, gint64, i));
  ks_json_writer_end_array (w);
  ks_json_writer_member_bool (w, "sees_all_categories", ks_principal_sees_all_categories (who));
}

void
ks_wire_write_site_message (KsJsonWriter *w, const char *text, gint64 until)
{
  if (text == NULL)
    {
      ks_json_writer_null (w);
      return;
    }
  ks_json_writer_begin_object (w);
  ks_json_writer_member_string (w, "text", text);
  ks_json_writer_member_timestamp (w, "until", until);
  ks_json_writer_end_object (w);
}

static void
write_me (KsJsonWriter *w, const KsMe *me, const KsPrincipal *who, gint64 codes_left,
          const char *const *codes, const char *const *wards, GArray *category_ids,
          const char *site_message, gint64 site_message_until)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", me->id);
  ks_json_writer_member_string (w, "email", me->email);
  ks_json_writer_member_string (w, "name", me->name);
  ks_json_writer_member_string (w, "phone", me->phone);
  ks_json_writer_member_bool (w, "is_superuser", me->is_superuser);
  ks_json_writer_member_bool (w, "two_factor_enabled", me->totp_enabled);
  ks_json_writer_member_bool (w, "two_factor_setup_required", who->needs_2fa_setup);
  ks_json_writer_member_int (w, "recovery_codes_left", codes_left);
  ks_json_writer_member_timestamp (w, "last_login", me->last_login);
  ks_json_writer_member_timestamp (w, "password_reset_expires", me->password_reset_until);
  ks_json_writer_key (w, "body");
  if (me->body_id == 0)
    ks_json_writer_null (w);
  else
    {
      ks_json_writer_begin_object (w);
      ks_json_writer_member_int (w, "id", me->body_id);
      ks_json_writer_member_string (w, "name", me->body_name);
      ks_json_writer_member_string (w, "slug", me->body_slug);
      ks_json_writer_member_string (w, "area_name", me->body_area_name);
      ks_json_writer_key (w, "bbox");
      if (!me->body_has_bbox)
        ks_json_writer_null (w);
      else
        {
          ks_json_writer_begin_array (w);
          ks_json_writer_double (w, me->body_bbox.min_lon);
          ks_json_writer_double (w, me->body_bbox.min_lat);
          ks_json_writer_double (w, me->body_bbox.max_lon);
          ks_json_writer_double (w, me->body_bbox.max_lat);
          ks_json_writer_end_array (w);
        }
      ks_json_writer_member_bool (w, "require_2fa", me->body_require_2fa);
      ks_json_writer_member_int (w, "password_min_length", me->body_password_min_length);
      ks_json_writer_key (w, "site_message");
      ks_wire_write_site_message (w, site_message, site_message_until);
      ks_json_writer_end_object (w);
    }

  ks_json_writer_key (w, "roles");
  ks_json_writer_begin_array (w);
  for (guint i = 0; me->roles != NULL && i < me->roles->len; i++)
    {
      const KsRoleRef *role = &g_array_index (me->roles, KsRoleRef, i);
      ks_json_writer_begin_object (w);
      ks_json_writer_member_int (w, "id", role->id);
      ks_json_writer_member_string (w, "name", role->name);
      ks_json_writer_end_object (w);
    }
  ks_json_writer_end_array (w);

  ks_json_writer_key (w, "permissions");
  ks_json_writer_begin_array (w);
  for (guint p = 0; p < KS_N_PERMISSIONS; p++)
    if (KS_PERMISSION_SET_HAS (who->perms, p))
      ks_json_writer_string (w, ks_permission_id (p));
  ks_json_writer_end_array (w);
  write_assignment (w, wards, category_ids, who);
  if (codes != NULL)
    {
      ks_json_writer_key (w, "recovery_codes");
      ks_json_writer_begin_array (w);
      for (guint i = 0; codes[i] != NULL; i++)
        ks_json_writer_string (w, codes[i]);
      ks_json_writer_end_array (w);
    }
  ks_json_writer_end_object (w);
}

gboolean
ks_wire_account_write_me (KsStore           *store,
                          const KsPrincipal *who,
                          KsJsonWriter      *w,
                          GError           **error)
{
  return ks_wire_account_write_me_with_codes (store, who, NULL, w, error);
}

gboolean
ks_wire_account_write_me_with_codes (KsStore            *store,
                                     const KsPrincipal  *who,
                                     const char *const  *codes,
                                     KsJsonWriter       *w,
                                     GError            **error)
{
  g_auto(KsMe) me = { 0 };
  g_auto(GStrv) wards = NULL;
  g_autoptr(GArray) category_ids = NULL;
  g_autofree char *site_message = NULL;
  gint64 codes_left = 0, site_message_until = 0;

  if (!ks_store_auth_get_me (store, who, &me, error) ||
      !ks_store_auth_count_recovery_codes (store, who->user_id, &codes_left, error) ||
      !ks_store_auth_assignment (store, who->user_id, &wards, &category_ids, error) ||
      (me.body_id != 0 &&
       !ks_store_councils_get_site_message (store, me.body_id, ks_time_now (), &site_message,
                                            &site_message_until, error)))
    return FALSE;
  write_me (w, &me, who, codes_left, codes, (const char *const *) wards, category_ids,
            site_message, site_message_until);
  return TRUE;
}

typedef struct {
  KsJsonWriter *w;
  gint64        current_session_id;
} SessionsWriter;

static void
session_row (const KsSessionRow *row,
             gpointer            user_data)
{
  SessionsWriter *s = user_data;
  KsJsonWriter *w = s->w;

  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", row->id);
  ks_json_writer_member_timestamp (w, "created", row->created);
  ks_json_writer_member_timestamp (w, "last_used", row->last_used);
  ks_json_writer_member_timestamp (w, "expires", row->expires);
  ks_json_writer_member_string (w, "address", row->address);
  ks_json_writer_member_string (w, "user_agent", row->user_agent);
  ks_json_writer_member_bool (w, "current", row->id == s->current_session_id);
  ks_json_writer_end_object (w);
}

gboolean
ks_wire_account_write_sessions (KsStore      *store,
                                gint64        user_id,
                                gint64        current_session_id,
                                KsJsonWriter *w,
                                GError      **error)
{
  SessionsWriter s = { w, current_session_id };

  ks_json_writer_begin_object (w);
  ks_json_writer_key (w, "sessions");
  ks_json_writer_begin_array (w);
  if (!ks_store_auth_sessions (store, user_id, session_row, &s, error))
    return FALSE;
  ks_json_writer_end_array (w);
  ks_json_writer_end_object (w);
  return TRUE;
}
