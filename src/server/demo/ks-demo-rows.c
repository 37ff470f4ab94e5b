/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-demo-rows.c: a planned report or update as the row every store writes (see
 * ks-demo-rows.h). The words come from the report's own small random stream, in
 * a fixed order: changing the order of the draws here changes the demo data. */
#include "demo/ks-demo-rows.h"

#include <math.h>
#include <string.h>

void
ks_demo_report_row_init (KsDemoReportRow *row)
{
  memset (row, 0, sizeof *row);
  row->title_buf = g_string_sized_new (128);
  row->detail_buf = g_string_sized_new (512);
  row->address_buf = g_string_sized_new (64);
  row->old_text_buf = g_string_sized_new (512);
}

void
ks_demo_report_row_clear (KsDemoReportRow *row)
{
  if (row->title_buf != NULL)
    g_string_free (row->title_buf, TRUE);
  if (row->detail_buf != NULL)
    g_string_free (row->detail_buf, TRUE);
  if (row->address_buf != NULL)
    g_string_free (row->address_buf, TRUE);
  if (row->old_text_buf != NULL)
    g_string_free (row->old_text_buf, TRUE);
  memset (row, 0, sizeof *row);
}

/* Answers to the category's extra questions, as an Open311 client sends them. */
static void
fill_attributes (KsDemoReportRow *row, const KsDemoReport *r, KsDemoTextRand *tr,
                 const KsDemoTextContext *ctx)
{
  static const char * const depths[] = { "under_4cm", "4_to_10cm", "over_10cm" };
  static const char * const sizes[] = { "single_item", "car_boot", "van_load" };
  static const char * const vehicles[] = {
    "Silver Ford Focus", "Blue Vauxhall Corsa", "Black BMW 3 Series", "White Ford Transit van",
    "Red Volkswagen Golf", "Grey Toyota Yaris", "Green Land Rover Discovery", NULL
  };
  const char *code = ks_demo_categories[r->category].code;
  char (*values)[32] = row->attribute_buf;

  row->n_attributes = 0;
  if (strcmp (code, "potholes") == 0)
    {
      row->attribute_codes[0] = "depth";
      g_strlcpy (values[0], depths[ks_demo_tr_int (tr, 3)], sizeof values[0]);
      row->attribute_codes[1] = "in_cycle_lane";
      g_strlcpy (values[1], ks_demo_tr_chance (tr, 25) ? "yes" : "no", sizeof values[1]);
      row->n_attributes = 2;
    }
  else if (g_str_has_prefix (code, "street_light") || strcmp (code, "lamp_post_damaged") == 0)
    {
      if (ks_demo_tr_chance (tr, 70))
        {
          row->attribute_codes[0] = "lamp_post_number";
          g_snprintf (values[0], sizeof values[0], "%u", ctx->lamp);
          row->n_attributes = 1;
        }
    }
  else if (strcmp (code, "fly_tipping") == 0)
    {
      row->attribute_codes[0] = "size";
      g_strlcpy (values[0], sizes[ks_demo_tr_int (tr, 3)], sizeof values[0]);
      row->n_attributes = 1;
    }
  else if (strcmp (code, "abandoned_vehicle") == 0)
    {
      row->attribute_codes[0] = "registration";
      g_snprintf (values[0], sizeof values[0], "%c%c%02u %c%c%c",
                  'A' + ks_demo_tr_int (tr, 26), 'A' + ks_demo_tr_int (tr, 26), 51 + ks_demo_tr_int (tr, 24),
                  'A' + ks_demo_tr_int (tr, 26), 'A' + ks_demo_tr_int (tr, 26), 'A' + ks_demo_tr_int (tr, 26));
      row->attribute_codes[1] = "make_colour";
      g_strlcpy (values[1], ks_demo_tr_pick (tr, vehicles), sizeof values[1]);
      row->n_attributes = 2;
    }
  for (guint k = 0; k < row->n_attributes; k++)
    row->attribute_values[k] = values[k];
}

static void
fill_moderation (KsDemoReportRow *row, const KsDemoPlan *d, const KsDemoReport *r,
                 KsDemoTextRand *tr, const KsDemoTextContext *ctx, const char *photo)
{
  GString *old_text = row->old_text_buf;

  row->has_moderation = r->mod_kind != MOD_NONE;
  row->mod_old_title = row->mod_new_title = NULL;
  row->mod_old_detail = row->mod_new_detail = NULL;
  row->mod_show_name_changed = FALSE;
  row->mod_old_photo = NULL;
  row->mod_photo_removed = FALSE;
  if (!row->has_moderation)
    return;

  g_string_truncate (old_text, 0);
  switch (r->mod_kind)
    {
    case MOD_TITLE:
      row->mod_reason = "Abusive language removed from the title.";
      g_string_append_printf (old_text, "%s - sort it out you useless lot!!!", row->title);
      row->mod_old_title = old_text->str;
      row->mod_new_title = row->title;
      break;
    case MOD_DETAIL:
      row->mod_reason = "Removed personal information about a third party.";
      g_string_append_printf (old_text, "%s It is %s %s at number %u who keeps doing this.",
                              row->detail, ks_demo_tr_pick (tr, ks_demo_first_names),
                              ks_demo_tr_pick (tr, ks_demo_last_names), ctx->num);
      row->mod_old_detail = old_text->str;
      row->mod_new_detail = row->detail;
      break;
    case MOD_HIDE_NAME:
      row->mod_reason = "The reporter asked us to hide their name.";
      row->mod_show_name_changed = TRUE;
      break;
    default:
      row->mod_reason = "Photo removed: it showed people's faces and a number plate.";
      row->mod_old_photo = photo;
      row->mod_photo_removed = TRUE;
      break;
    }
  row->mod_user_id = d->staff_ids[r->mod_by];
  row->mod_created = r->mod_time;
}

void
ks_demo_report_row_fill (KsDemoReportRow *row, const KsDemoPlan *d, guint i)
{
  const KsDemoReport *r = &d->reports[i];
  const KsDemoCategory *cat = &ks_demo_categories[r->category];
  const KsDemoStreet *street = &ks_demo_streets[r->street];
  KsDemoTextRand tr = ks_demo_tr_init (r->text_seed, 0x51);
  KsDemoTextContext ctx;
  const char *photo;

  ks_demo_text_context (r, &tr, &ctx);
  ks_demo_reporter_identity (r, &row->who);
  g_string_truncate (row->title_buf, 0);
  ks_demo_text_expand (row->title_buf, ks_demo_tr_pick (&tr, cat->titles), &ctx);
  g_string_truncate (row->detail_buf, 0);
  ks_demo_text_expand (row->detail_buf, ks_demo_tr_pick (&tr, cat->details), &ctx);
  if (ks_demo_tr_chance (&tr, 70))
    {
      g_string_append_c (row->detail_buf, ' ');
      ks_demo_text_expand (row->detail_buf, ks_demo_tr_pick (&tr, ks_demo_detail_tails), &ctx);
    }
  g_string_truncate (row->address_buf, 0);
  if (street->kind == KS_DEMO_PLACE_RESIDENTIAL && ks_demo_tr_chance (&tr, 30))
    g_string_append_printf (row->address_buf, "%u ", ctx.num);
  g_string_append (row->address_buf, street->name);
  g_string_append (row->address_buf, ", Oxford");
  photo = ks_demo_pick_photo (d, cat, ks_demo_tr_next (&tr), row->photo_buf, sizeof row->photo_buf);
  g_snprintf (row->external_id_buf, sizeof row->external_id_buf, "%" G_GINT64_FORMAT,
              (gint64) 4100000 + i * 3 + ks_demo_tr_int (&tr, 3));

  row->id = d->first_id + i;
  row->category_id = d->category_ids[r->category];
  row->title = row->title_buf->str;
  row->detail = row->detail_buf->str;
  row->lat = round (r->lat * 1e6) / 1e6;
  row->lon = round (r->lon * 1e6) / 1e6;
  row->ward = ks_demo_wards[r->ward].name;
  row->address = row->address_buf->str;
  row->state = ks_demo_state_ids[r->state];
  row->priority_id = r->priority != 0xff ? d->priority_ids[r->priority] : 0;
  if (r->flags & F_PATROL)
    {
      row->reporter_name = ks_demo_staff[STAFF_INSPECTOR].name;
      row->reporter_email = ks_demo_staff[STAFF_INSPECTOR].email;
      row->reporter_phone = NULL;
    }
  else
    {
      row->reporter_name = row->who.name;
      row->reporter_email = (r->flags & F_EMAIL) ? row->who.email : NULL;
      row->reporter_phone = (r->flags & F_PHONE) ? row->who.phone : NULL;
    }
  row->show_name = (r->flags & F_SHOW_NAME) != 0;
  row->photo = (r->flags & F_PHOTO) ? photo : NULL;
  row->source = ks_demo_source_ids[r->source];
  row->external_id = r->source == SOURCE_OPEN311 ? row->external_id_buf : NULL;
  row->created_by = r->source == SOURCE_STAFF
    ? d->staff_ids[(r->flags & F_PATROL) ? STAFF_INSPECTOR : STAFF_CS] : 0;
  row->created = r->created;
  row->confirmed = r->confirmed;
  row->updated = r->updated;
  row->acknowledged = r->ack_by != NO_STAFF ? r->acknowledged : 0;
  row->acknowledged_by = r->ack_by != NO_STAFF ? d->staff_ids[r->ack_by] : 0;
  row->shortlist_user = r->shortlist_user != NO_STAFF ? d->staff_ids[r->shortlist_user] : 0;
  row->shortlist_pos = r->shortlist_pos;
  row->version = r->version;
  row->seq = d->seq_base + 1 + r->seq_rank;
  row->duplicate_of = r->duplicate_of != 0 ? d->first_id + r->duplicate_of - 1 : 0;
  row->state_before_duplicate = r->duplicate_of != 0 ? "confirmed" : NULL;

  fill_attributes (row, r, &tr, &ctx);
  fill_moderation (row, d, r, &tr, &ctx, photo);
}

void
ks_demo_update_row_init (KsDemoUpdateRow *row)
{
  memset (row, 0, sizeof *row);
  row->text_buf = g_string_sized_new (256);
}

void
ks_demo_update_row_clear (KsDemoUpdateRow *row)
{
  if (row->text_buf != NULL)
    g_string_free (row->text_buf, TRUE);
  memset (row, 0, sizeof *row);
}

void
ks_demo_update_row_fill (KsDemoUpdateRow *row, const KsDemoPlan *d, guint e)
{
  const KsDemoEvent *ev = &g_array_index (d->events, KsDemoEvent, e);
  const KsDemoReport *r = &d->reports[ev->report];
  const KsDemoCategory *cat = &ks_demo_categories[r->category];
  const char * const *pool = ks_demo_event_pool (ev, cat);
  KsDemoTextRand tr = ks_demo_tr_init (r->text_seed ^ ((guint32) ev->variant << 24), 0x300 + ev->pos);
  gboolean by_reporter = ev->staff == NO_STAFF;
  GString *text = row->text_buf;
  KsDemoTextContext ctx;

  ks_demo_text_context (r, &tr, &ctx);
  g_string_truncate (text, 0);
  if (ev->kind == EV_ACKNOWLEDGE && ks_demo_tr_chance (&tr, 60))
    pool = NULL;   /* most acknowledgements say nothing */
  if (pool != NULL)
    ks_demo_text_expand (text, ks_demo_tr_pick (&tr, pool), &ctx);
  row->is_public = !(ev->kind == EV_PRIORITY || ev->kind == EV_HIDE ||
                     (ev->kind == EV_ACKNOWLEDGE && text->len == 0));

  row->report_id = d->first_id + ev->report;
  if (by_reporter)
    {
      ks_demo_reporter_identity (r, &row->who);
      row->user_id = 0;
      row->author_name = row->who.name;
    }
  else
    {
      row->user_id = d->staff_ids[ev->staff];
      row->author_name = ks_demo_staff[ev->staff].name;
    }
  row->kind = ks_demo_event_kind_ids[ev->kind];
  row->text = text->str;
  if (ev->kind == EV_STATE && ev->state == ST_FIXED && ks_demo_tr_chance (&tr, 10))
    row->photo = ks_demo_pick_photo (d, cat, ks_demo_tr_next (&tr), row->photo_buf, sizeof row->photo_buf);
  else
    row->photo = NULL;
  row->state = ev->state != ST_NONE ? ks_demo_state_ids[ev->state] : NULL;
  row->priority_id = ev->kind == EV_PRIORITY && r->priority != 0xff ? d->priority_ids[r->priority] : 0;
  if (!by_reporter)
    {
      row->source = "staff";
      row->external_id = NULL;
    }
  else if (r->source == SOURCE_OPEN311)
    {
      g_snprintf (row->external_id_buf, sizeof row->external_id_buf, "%u", 9000000 + e);
      row->source = "open311";
      row->external_id = row->external_id_buf;
    }
  else
    {
      row->source = "web";
      row->external_id = NULL;
    }
  row->created = ev->time;
}
