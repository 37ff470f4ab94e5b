/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-demo-text.c: the words of the demo data: templates filled in from the
 * report's street and seed, the reporters' names and addresses, the texts an
 * event picks from, and the photo a report shows. */
#define G_LOG_DOMAIN "ks-demo"

#include "demo/ks-demo-text.h"

#include <string.h>

/* The photo a report (or its update) shows: one of the demo photos that suits its
 * category when they were written, else a made-up address. */
const char *
ks_demo_pick_photo (const KsDemoPlan *d, const KsDemoCategory *cat, guint64 pick, char *buf, gsize size)
{
  if (d->photos[0] != NULL)
    return d->photos[ks_demo_photo_scene (cat->code) * KS_DEMO_PHOTOS_PER_SCENE +
                     pick % KS_DEMO_PHOTOS_PER_SCENE];
  g_snprintf (buf, size, "https://photos.demo.invalid/oxford/%016" G_GINT64_MODIFIER "x.jpeg",
              pick);
  return buf;
}

static void
expand_token (GString *out, const char *name, gsize len, const KsDemoTextContext *ctx)
{
  if (len == 6 && memcmp (name, "street", 6) == 0)
    g_string_append (out, ctx->street);
  else if (len == 3 && memcmp (name, "num", 3) == 0)
    g_string_append_printf (out, "%u", ctx->num);
  else if (len == 5 && memcmp (name, "weeks", 5) == 0)
    g_string_append_printf (out, "%u", ctx->weeks);
  else if (len == 4 && memcmp (name, "lamp", 4) == 0)
    g_string_append_printf (out, "%u", ctx->lamp);
  else if (len == 4 && memcmp (name, "near", 4) == 0)
    ks_demo_text_expand (out, ctx->near, ctx);
}

void
ks_demo_text_expand (GString *out, const char *tmpl, const KsDemoTextContext *ctx)
{
  const char *p = tmpl;

  while (*p)
    {
      const char *open = strchr (p, '{');
      const char *close;

      if (open == NULL)
        {
          g_string_append (out, p);
          return;
        }
      close = strchr (open, '}');
      if (close == NULL)
        {
          g_string_append (out, p);
          return;
        }
      g_string_append_len (out, p, open - p);
      expand_token (out, open + 1, close - open - 1, ctx);
      p = close + 1;
    }
}

void
ks_demo_text_context (const KsDemoReport *r, KsDemoTextRand *tr, KsDemoTextContext *ctx)
{
  ctx->street = ks_demo_streets[r->street].name;
  ctx->num = 1 + (r->text_seed >> 20) % 140;
  ctx->lamp = 1 + (r->text_seed >> 4) % 4999;
  ctx->weeks = 2 + ks_demo_tr_int (tr, 7);
  ctx->near = ks_demo_tr_pick (tr, ks_demo_near);
}

/* The reporter's identity, derived from the report's seed alone. */
void
ks_demo_reporter_identity (const KsDemoReport *r, KsDemoReporter *out)
{
  KsDemoTextRand tr = ks_demo_tr_init (r->text_seed, 0x7e9);
  const char *first = ks_demo_tr_pick (&tr, ks_demo_first_names);
  const char *last = ks_demo_tr_pick (&tr, ks_demo_last_names);
  const char *domain = ks_demo_tr_pick (&tr, ks_demo_email_domains);
  g_autofree char *lf = g_ascii_strdown (first, -1);
  g_autofree char *ll = g_ascii_strdown (last, -1);
  char *q;

  /* Apostrophes are fine in names but not in these addresses. */
  for (char *p = q = ll; *p; p++)
    if (*p != '\'')
      *q++ = *p;
  *q = '\0';

  g_snprintf (out->name, sizeof out->name, "%s %s", first, last);
  switch (ks_demo_tr_int (&tr, 5))
    {
    case 0: g_snprintf (out->email, sizeof out->email, "%s.%s@%s", lf, ll, domain); break;
    case 1: g_snprintf (out->email, sizeof out->email, "%c%s%u@%s", lf[0], ll, ks_demo_tr_int (&tr, 99), domain); break;
    case 2: g_snprintf (out->email, sizeof out->email, "%s_%c@%s", lf, ll[0], domain); break;
    case 3: g_snprintf (out->email, sizeof out->email, "%s%u@%s", lf, 1950 + ks_demo_tr_int (&tr, 56), domain); break;
    default: g_snprintf (out->email, sizeof out->email, "%s.%s%u@%s", ll, lf, ks_demo_tr_int (&tr, 10), domain); break;
    }
  g_snprintf (out->phone, sizeof out->phone, "07700 900%03u", ks_demo_tr_int (&tr, 1000));
}

const char * const *
ks_demo_event_pool (const KsDemoEvent *ev, const KsDemoCategory *cat)
{
  switch (ev->kind)
    {
    case EV_ACKNOWLEDGE: return ks_demo_ack_texts;
    case EV_UPDATE: return ks_demo_staff_update_texts;
    case EV_REQUEST_INFO: return ks_demo_request_info_texts;
    case EV_HIDE: return ks_demo_hide_texts;
    case EV_REPORTER_UPDATE: return ks_demo_reporter_update_texts;
    case EV_REPORTER_FIXED: return ks_demo_reporter_fixed_texts;
    case EV_STATE:
      switch (ev->state)
        {
        case ST_INVESTIGATING: return ks_demo_investigating_texts;
        case ST_IN_PROGRESS: return ks_demo_in_progress_texts;
        case ST_ACTION_SCHEDULED: return cat->scheduled;
        case ST_FIXED: return cat->fixed;
        case ST_NO_FURTHER_ACTION: return ks_demo_no_further_action_texts;
        case ST_NOT_RESPONSIBLE: return ks_demo_not_responsible_texts;
        case ST_DUPLICATE: return ks_demo_duplicate_texts;
        case ST_INTERNAL_REFERRAL: return ks_demo_internal_referral_texts;
        case ST_CLOSED: return ks_demo_closed_texts;
        default: return NULL;
        }
    default:
      return NULL;
    }
}
