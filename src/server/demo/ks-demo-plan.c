/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-demo-plan.c: plans the demo data set in memory: when each report came and
 * what about, where, its state, its timeline of staff and reporter events,
 * moderation, shortlists, and the sync sequence in the order things happened. */
#define G_LOG_DOMAIN "ks-demo"

#include "demo/ks-demo-plan.h"
#include "demo/ks-demo-text.h"
#include "ks-states.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char * const ks_demo_source_ids[] = { "web", "open311", "staff" };
const char * const ks_demo_state_ids[N_ST] = {
  "unconfirmed", "hidden", "confirmed", "investigating", "in_progress",
  "action_scheduled", "awaiting_information", "fixed", "no_further_action",
  "not_responsible", "duplicate", "internal_referral", "closed",
};
const char * const ks_demo_event_kind_ids[] = {
  "acknowledge", "priority", "state", "update", "request_info", "hide", "update", "state",
};

/* Randomness */

static inline double
rnd (KsDemoPlan *d)
{
  return g_rand_double (d->rand);
}

static inline guint
rnd_int (KsDemoPlan *d, guint n)
{
  return n > 1 ? (guint) g_rand_int_range (d->rand, 0, (gint32) n) : 0;
}

static double
rnd_exp (KsDemoPlan *d, double mean)
{
  return -mean * log (1.0 - rnd (d));
}

static double
rnd_normal (KsDemoPlan *d)
{
  double u1 = 1.0 - rnd (d), u2 = rnd (d);
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

static double
rnd_lognormal (KsDemoPlan *d, double median, double sigma)
{
  return median * exp (sigma * rnd_normal (d));
}

/* Planning: when, what and where */

static const double hour_weights[24] = {
  1.0, 0.5, 0.3, 0.2, 0.2, 0.4, 1.5, 3.0, 5.0, 6.0, 6.0, 6.0,
  6.0, 6.0, 5.5, 5.5, 5.5, 6.0, 6.5, 6.5, 6.0, 5.0, 3.5, 2.0,
};

static double
season_factor (guint8 season, gint64 t)
{
  double doy = fmod ((double) t / DAY, 365.2425);
  double peak;

  switch (season)
    {
    case KS_DEMO_SEASON_WINTER: peak = 30; break;
    case KS_DEMO_SEASON_DARK: peak = 355; break;
    case KS_DEMO_SEASON_SUMMER: peak = 196; break;
    default: return 1.0;
    }
  return 1.0 + 0.5 * cos (2.0 * G_PI * (doy - peak) / 365.2425);
}

/* Seconds to add to UTC for UK local time (summer time from about the end of
 * March to the end of October). */
static gint64
uk_offset (gint64 t)
{
  double doy = fmod ((double) t / DAY, 365.2425);
  return doy >= 88 && doy < 300 ? 3600 : 0;
}

/* Staff work from 8:00 to 18:00 on weekdays: moves t to a time of the next
 * working day (or two, after a weekend, so that Mondays are busy but not
 * swamped). */
static gint64
working_time (gint64 t)
{
  gint64 off = uk_offset (t);
  gint64 local = t + off;
  gint64 day = local / DAY;
  gint64 sec = local - day * DAY;
  int weekday = (int) ((day + 4) % 7);   /* 0 = Sunday */
  guint64 h = ((guint64) t * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)) >> 32;
  guint extra = 0;

  if (weekday >= 1 && weekday <= 5)
    {
      if (sec >= 8 * 3600 && sec < 18 * 3600)
        return t;
      if (sec < 8 * 3600)
        return day * DAY + 8 * 3600 + (gint64) (h % (10 * 3600)) - off;
    }
  else
    extra = h % 2;
  for (;;)
    {
      day++;
      weekday = (weekday + 1) % 7;
      if (weekday == 0 || weekday == 6)
        continue;
      if (extra == 0)
        break;
      extra--;
    }
  return day * DAY + 8 * 3600 + (gint64) (h % (10 * 3600)) - off;
}

static double
day_weight (KsDemoPlan *d, const KsDemoCategory *cat, gint64 t)
{
  int weekday = (int) (((t / DAY) + 4) % 7);   /* 0 = Sunday */
  double w = season_factor (cat->season, t);

  if (!cat->active && t > d->now - 365 * DAY)
    return 0.0;   /* retired a year ago */
  w *= 0.8 + 0.4 * (double) (t - d->start) / SPAN;   /* more reports every year */
  w *= weekday == 0 ? 0.8 : weekday == 6 ? 0.85 : 1.1;
  return w;
}

static guint
pick_cum (const double *cum, guint n, double x)
{
  guint lo = 0, hi = n - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (cum[mid] > x)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

typedef struct {
  gint64 created;
  guint8 category;
} WhenWhat;

static int
cmp_when_what (const void *a, const void *b)
{
  const WhenWhat *x = a, *y = b;

  if (x->created != y->created)
    return x->created < y->created ? -1 : 1;
  return (int) x->category - (int) y->category;
}

/* Chooses each report's category and creation time (seasons, growth, weekdays,
 * hours of the day), then orders the reports by time: ids follow creation. */
static void
plan_when_what (KsDemoPlan *d)
{
  g_autofree WhenWhat *ww = g_new (WhenWhat, MAX (d->n, 1));
  double hour_cum[24], total = 0;
  guint ncat = ks_demo_n_categories;

  for (guint h = 0; h < 24; h++)
    hour_cum[h] = (total += hour_weights[h]);

  for (guint i = 0; i < d->n; i++)
    {
      guint c = pick_cum (d->cat_cum, ncat, rnd (d) * d->cat_cum[ncat - 1]);
      const KsDemoCategory *cat = &ks_demo_categories[c];
      gint64 t;

      for (;;)
        {
          gint64 day = d->start + (gint64) (rnd (d) * SPAN);
          guint hour;

          if (rnd (d) * 1.98 >= day_weight (d, cat, day))
            continue;
          day -= day % DAY;
          hour = pick_cum (hour_cum, 24, rnd (d) * total);
          t = day + hour * 3600 + rnd_int (d, 3600) - uk_offset (day);
          if (t < d->now - 600 && t >= d->start)
            break;
        }
      ww[i].created = t;
      ww[i].category = c;
    }
  qsort (ww, d->n, sizeof *ww, cmp_when_what);
  for (guint i = 0; i < d->n; i++)
    {
      d->reports[i].created = ww[i].created;
      d->reports[i].category = ww[i].category;
    }
}

static guint
nearest_ward (double lat, double lon)
{
  double k = cos (lat * G_PI / 180.0);
  double best = G_MAXDOUBLE;
  guint best_i = 0;

  for (guint i = 0; i < ks_demo_n_wards; i++)
    {
      double dy = lat - ks_demo_wards[i].lat;
      double dx = (lon - ks_demo_wards[i].lon) * k;
      double d2 = dx * dx + dy * dy;
      if (d2 < best)
        {
          best = d2;
          best_i = i;
        }
    }
  return best_i;
}

/* A point along the street: reports bunch at problem spots about every 80 m. */
static void
plan_place (KsDemoPlan *d, KsDemoReport *r)
{
  const double *cum = d->street_cum + (gsize) r->category * ks_demo_n_streets;
  const KsDemoStreet *s;
  double k, len_m, t, sigma, along, across;

  r->street = pick_cum (cum, ks_demo_n_streets, rnd (d) * cum[ks_demo_n_streets - 1]);
  s = &ks_demo_streets[r->street];
  k = cos (s->lat1 * G_PI / 180.0);
  len_m = 111320.0 * hypot (s->lat2 - s->lat1, (s->lon2 - s->lon1) * k);
  if (rnd (d) < 0.45)
    {
      guint spots = MAX (1, (guint) (len_m / 80.0));
      t = (rnd_int (d, spots) + 0.5) / spots;
      sigma = 6.0;
    }
  else
    {
      t = rnd (d);
      sigma = s->kind == KS_DEMO_PLACE_PARK ? 40.0 : 12.0;
    }
  along = rnd_normal (d) * sigma;
  across = rnd_normal (d) * sigma;
  r->lat = s->lat1 + t * (s->lat2 - s->lat1) + (along + across) * 0.7 / 111320.0;
  r->lon = s->lon1 + t * (s->lon2 - s->lon1) + (along - across) * 0.7 / (111320.0 * k);
  r->ward = nearest_ward (r->lat, r->lon);
}

static guint8
pick_priority (KsDemoPlan *d, const KsDemoCategory *cat)
{
  guint total = 0, x;

  for (guint p = 0; p < ks_demo_n_priorities; p++)
    {
      const KsDemoPriority *pr = &ks_demo_priorities[p];
      if (pr->all_categories || (pr->hazard_only ? cat->hazard : cat->urgent))
        total += pr->weight;
    }
  x = rnd_int (d, total);
  for (guint p = 0; p < ks_demo_n_priorities; p++)
    {
      const KsDemoPriority *pr = &ks_demo_priorities[p];
      if (!(pr->all_categories || (pr->hazard_only ? cat->hazard : cat->urgent)))
        continue;
      if (x < pr->weight)
        return p;
      x -= pr->weight;
    }
  return ks_demo_n_priorities - 1;
}

static guint8
pick_state (KsDemoPlan *d, double age)
{
  double p_open = MIN (0.92, 0.15 + 0.8 * exp (-age / 0.14));
  double u = rnd (d), v;

  if (u < 0.02)
    return ST_UNCONFIRMED;
  if (u < 0.03)
    return ST_HIDDEN;
  if (rnd (d) < p_open)
    {
      v = rnd (d);
      return v < 0.45 ? ST_CONFIRMED : v < 0.65 ? ST_INVESTIGATING : v < 0.75 ? ST_IN_PROGRESS :
             v < 0.92 ? ST_ACTION_SCHEDULED : ST_AWAITING_INFORMATION;
    }
  if (rnd (d) < 50.0 / 72.0)
    return ST_FIXED;
  v = rnd (d);
  return v < 0.30 ? ST_NO_FURTHER_ACTION : v < 0.55 ? ST_NOT_RESPONSIBLE :
         v < 0.80 ? ST_DUPLICATE : v < 0.90 ? ST_INTERNAL_REFERRAL : ST_CLOSED;
}

/* A staff member who works on reports: mostly inspectors and maintenance. */
static guint8
pick_worker (KsDemoPlan *d)
{
  double u = rnd (d);
  return u < 0.55 ? STAFF_INSPECTOR : u < 0.9 ? STAFF_MAINTENANCE : STAFF_ADMIN;
}

/* Adds an event to the report's timeline; returns its time. */
static gint64
add_event (KsDemoPlan      *d,
           guint      report,
           gint64     time,
           EventKind  kind,
           guint8     state,
           guint8     staff)
{
  KsDemoReport *r = &d->reports[report];
  KsDemoEvent ev;

  /* Staff act in working hours; a timeline never goes backwards. */
  if (staff != NO_STAFF && working_time (time) <= d->now)
    time = working_time (time);
  time = MAX (time, r->updated);
  ev.time = MIN (time, d->now);
  ev.report = report;
  ev.kind = kind;
  ev.state = state;
  ev.staff = staff;
  ev.variant = (guint8) rnd_int (d, 256);
  ev.pos = (guint8) (r->version - 1);
  g_array_append_val (d->events, ev);
  r->version++;
  if (ev.time > r->updated)
    r->updated = ev.time;
  return ev.time;
}

/* How long until the council resolved it, in seconds. */
static double
resolution_delay (KsDemoPlan *d, KsDemoReport *r)
{
  switch (r->state)
    {
    case ST_FIXED:
      {
        double hours = r->priority != 0xff ? ks_demo_priorities[r->priority].response_hours : 336;
        return MIN (200.0 * DAY, MAX (1800.0, rnd_lognormal (d, hours * 3600.0 * 0.75, 0.8)));
      }
    case ST_DUPLICATE: return rnd_exp (d, 1.5 * DAY) + 600;
    case ST_NOT_RESPONSIBLE: return rnd_exp (d, 3 * DAY) + 600;
    case ST_INTERNAL_REFERRAL: return rnd_exp (d, 4 * DAY) + 600;
    case ST_NO_FURTHER_ACTION: return rnd_lognormal (d, 10.0 * DAY, 0.8);
    case ST_CLOSED: return rnd_lognormal (d, 40.0 * DAY, 0.6);
    default: return rnd_lognormal (d, 5.0 * DAY, 1.0);
    }
}

/* The report's life: acknowledgement, priority, state changes and updates. */
static void
plan_timeline (KsDemoPlan *d, guint i)
{
  KsDemoReport *r = &d->reports[i];
  gint64 cf = r->confirmed, avail = d->now - cf, span, end;
  guint8 final = r->state;
  gboolean reporter_can_update = (r->flags & F_PATROL) == 0;

  r->version = 1;
  if (final == ST_UNCONFIRMED)
    {
      r->updated = r->created + 5 + rnd_int (d, 120);
      return;
    }
  r->updated = cf;

  if (final == ST_HIDDEN)
    {
      add_event (d, i, cf + (gint64) (avail * (0.01 + 0.1 * rnd (d))), EV_HIDE, ST_HIDDEN,
                 rnd (d) < 0.75 ? STAFF_CS : STAFF_ADMIN);
      return;
    }

  if (final >= ST_CONFIRMED && final <= ST_AWAITING_INFORMATION)
    {
      double delay = final == ST_CONFIRMED ? rnd_exp (d, 2 * DAY) : resolution_delay (d, r);
      span = (gint64) MIN ((double) avail * (0.2 + 0.8 * rnd (d)), delay);
    }
  else
    {
      double delay = resolution_delay (d, r);
      if (delay > avail - 60)
        delay = MAX (30.0, (avail - 60) * (0.3 + 0.7 * rnd (d)));
      span = (gint64) delay;
    }
  span = MAX (span, 30);
  end = cf + span;

  if (rnd (d) < (final <= ST_AWAITING_INFORMATION ? 0.4 : 0.25))
    {
      r->ack_by = rnd (d) < 0.7 ? STAFF_CS : STAFF_INSPECTOR;
      r->acknowledged = add_event (d, i, cf + (gint64) (span * 0.1 * rnd (d)),
                                   EV_ACKNOWLEDGE, ST_NONE, r->ack_by);
    }
  if (r->priority != 0xff && rnd (d) < (final == ST_FIXED ? 0.35 : 0.25))
    add_event (d, i, cf + (gint64) (span * (0.1 + 0.2 * rnd (d))), EV_PRIORITY, ST_NONE,
               pick_worker (d));

  switch (final)
    {
    case ST_CONFIRMED:
      break;
    case ST_INVESTIGATING:
      add_event (d, i, end, EV_STATE, final, pick_worker (d));
      break;
    case ST_IN_PROGRESS:
    case ST_ACTION_SCHEDULED:
      if (rnd (d) < 0.35)
        add_event (d, i, cf + (gint64) (span * (0.3 + 0.3 * rnd (d))), EV_STATE,
                   ST_INVESTIGATING, STAFF_INSPECTOR);
      add_event (d, i, end, EV_STATE, final, pick_worker (d));
      if (rnd (d) < 0.15)
        add_event (d, i, end + (gint64) ((d->now - end) * rnd (d)), EV_UPDATE, ST_NONE,
                   pick_worker (d));
      break;
    case ST_AWAITING_INFORMATION:
      add_event (d, i, end, EV_REQUEST_INFO, final, STAFF_INSPECTOR);
      break;
    case ST_FIXED:
      if (rnd (d) < 0.2)
        {
          double v = rnd (d);
          add_event (d, i, cf + (gint64) (span * (0.3 + 0.3 * rnd (d))), EV_STATE,
                     v < 0.6 ? ST_ACTION_SCHEDULED : v < 0.85 ? ST_INVESTIGATING : ST_IN_PROGRESS,
                     pick_worker (d));
        }
      if (rnd (d) < 0.08)
        add_event (d, i, cf + (gint64) (span * (0.6 + 0.2 * rnd (d))), EV_UPDATE, ST_NONE,
                   pick_worker (d));
      if (reporter_can_update && rnd (d) < 0.05)
        add_event (d, i, cf + (gint64) (span * (0.8 + 0.15 * rnd (d))), EV_REPORTER_UPDATE,
                   ST_NONE, NO_STAFF);
      if (reporter_can_update && rnd (d) < 0.12)
        add_event (d, i, end, EV_REPORTER_FIXED, ST_FIXED, NO_STAFF);
      else
        add_event (d, i, end, EV_STATE, ST_FIXED, pick_worker (d));
      break;
    case ST_CLOSED:
      if (rnd (d) < 0.4)
        add_event (d, i, cf + (gint64) (span * 0.3), EV_REQUEST_INFO, ST_AWAITING_INFORMATION,
                   STAFF_INSPECTOR);
      add_event (d, i, end, EV_STATE, final, pick_worker (d));
      break;
    case ST_NO_FURTHER_ACTION:
      if (rnd (d) < 0.3)
        add_event (d, i, cf + (gint64) (span * (0.2 + 0.3 * rnd (d))), EV_STATE,
                   ST_INVESTIGATING, STAFF_INSPECTOR);
      add_event (d, i, end, EV_STATE, final, STAFF_INSPECTOR);
      break;
    default:
      add_event (d, i, end, EV_STATE, final, rnd (d) < 0.5 ? STAFF_CS : pick_worker (d));
      break;
    }

  /* Some residents chase reports that are still open. */
  if (final >= ST_CONFIRMED && final <= ST_AWAITING_INFORMATION && reporter_can_update &&
      rnd (d) < 0.08)
    add_event (d, i, r->updated + (gint64) ((d->now - r->updated) * rnd (d)),
               EV_REPORTER_UPDATE, ST_NONE, NO_STAFF);
}

static void
plan_report (KsDemoPlan *d, guint i)
{
  KsDemoReport *r = &d->reports[i];
  const KsDemoCategory *cat = &ks_demo_categories[r->category];
  double age = (double) (d->now - r->created) / SPAN;
  double u;

  r->text_seed = g_rand_int (d->rand);
  r->shortlist_user = NO_STAFF;
  r->ack_by = NO_STAFF;
  r->mod_by = NO_STAFF;
  r->priority = 0xff;
  plan_place (d, r);

  u = rnd (d);
  r->source = u < 0.78 ? SOURCE_WEB : u < 0.92 ? SOURCE_OPEN311 : SOURCE_STAFF;
  r->flags = 0;
  switch (r->source)
    {
    case SOURCE_WEB:
      if (rnd (d) < 0.95) r->flags |= F_EMAIL;
      if (rnd (d) < 0.4) r->flags |= F_PHONE;
      if (rnd (d) < 0.62) r->flags |= F_SHOW_NAME;
      if (rnd (d) < 0.18) r->flags |= F_PHOTO;
      break;
    case SOURCE_OPEN311:
      if (rnd (d) < 0.85) r->flags |= F_EMAIL;
      if (rnd (d) < 0.3) r->flags |= F_PHONE;
      if (rnd (d) < 0.6) r->flags |= F_SHOW_NAME;
      if (rnd (d) < 0.2) r->flags |= F_PHOTO;
      break;
    default:
      if (rnd (d) < 0.2)
        r->flags |= F_PATROL;
      else
        {
          if (rnd (d) < 0.5) r->flags |= F_EMAIL;
          if (rnd (d) < 0.9) r->flags |= F_PHONE;
          if (rnd (d) < 0.4) r->flags |= F_SHOW_NAME;
        }
      break;
    }

  r->state = pick_state (d, age);
  if (r->state == ST_UNCONFIRMED)
    r->confirmed = 0;
  else if (r->source == SOURCE_WEB)
    r->confirmed = r->created + 30 + (gint64) MIN (rnd_exp (d, 1200), 300);
  else
    r->confirmed = r->created + 1 + rnd_int (d, 20);
  if (r->state != ST_UNCONFIRMED && rnd (d) < (r->state == ST_HIDDEN ? 0.1 : 0.63))
    r->priority = pick_priority (d, cat);
  plan_timeline (d, i);
}

/* A report closed as a duplicate repeats an earlier one: the last report of
 * its category made before it that was confirmed by then and is neither
 * hidden, unconfirmed nor a duplicate itself (looking back at most
 * DUPLICATE_LOOKBACK reports). It stands a few metres from that one, on its
 * street, as a second resident would report the same fault. Drawn from the
 * report's own seed, not the plan's generator, so that every other row stays
 * as it was. A duplicate with no such report before it keeps its place and
 * links to none. */
#define DUPLICATE_LOOKBACK 5000

static void
plan_duplicates (KsDemoPlan *d)
{
  for (guint i = 0; i < d->n; i++)
    {
      KsDemoReport *r = &d->reports[i];
      guint stop = i > DUPLICATE_LOOKBACK ? i - DUPLICATE_LOOKBACK : 0;

      if (r->state != ST_DUPLICATE)
        continue;
      for (guint j = i; j-- > stop; )
        {
          const KsDemoReport *o = &d->reports[j];
          double metres, angle, k;

          if (o->category != r->category || o->state == ST_DUPLICATE || o->state == ST_HIDDEN
              || o->state == ST_UNCONFIRMED || o->confirmed > r->created)
            continue;
          metres = 3 + r->text_seed % 17;
          angle = (r->text_seed >> 8) % 360 * G_PI / 180.0;
          k = cos (o->lat * G_PI / 180.0);
          r->duplicate_of = j + 1;
          r->street = o->street;
          r->lat = o->lat + metres * cos (angle) / 111320.0;
          r->lon = o->lon + metres * sin (angle) / (111320.0 * k);
          r->ward = nearest_ward (r->lat, r->lon);
          break;
        }
    }
}

/* A few reports were moderated: a title or detail edited, a name hidden, a
 * photo removed. */
static void
plan_moderation (KsDemoPlan *d)
{
  guint want = d->n == 0 ? 0 : CLAMP (d->n / 2000, 3, 500);
  guint tries = 0;

  want = MIN (want, d->n / 4);
  while (d->n_moderation < want && tries++ < want * 100)
    {
      KsDemoReport *r = &d->reports[rnd_int (d, d->n)];
      guint kind = 1 + rnd_int (d, 4);
      gint64 t;

      if (r->state == ST_UNCONFIRMED || r->state == ST_HIDDEN || r->mod_kind != MOD_NONE)
        continue;
      if (kind == MOD_PHOTO && !(r->flags & F_PHOTO))
        kind = MOD_DETAIL;
      if (kind == MOD_HIDE_NAME && !(r->flags & F_SHOW_NAME))
        kind = MOD_TITLE;
      if (r->flags & F_PATROL)
        continue;
      t = working_time (r->confirmed + 600 + (gint64) (rnd (d) * 2 * DAY));
      t = MIN (t, d->now);
      r->mod_kind = kind;
      r->mod_by = rnd (d) < 0.7 ? STAFF_CS : STAFF_ADMIN;
      r->mod_time = t;
      r->version++;
      if (t > r->updated)
        r->updated = t;
      if (kind == MOD_HIDE_NAME)
        r->flags &= ~F_SHOW_NAME;
      if (kind == MOD_PHOTO)
        r->flags &= ~F_PHOTO;
      d->n_moderation++;
    }
}

/* Inspectors and maintenance keep shortlists of open reports to visit. */
static void
plan_shortlists (KsDemoPlan *d)
{
  guint n_inspector = 0, n_maintenance = 0;

  for (guint k = d->n; k-- > 0 && (n_inspector < 12 || n_maintenance < 8);)
    {
      KsDemoReport *r = &d->reports[k];
      const char *ward = ks_demo_wards[r->ward].name;

      if (n_inspector < 12 &&
          (r->state == ST_CONFIRMED || r->state == ST_INVESTIGATING) &&
          (strcmp (ward, "Cowley") == 0 || strcmp (ward, "Temple Cowley") == 0 ||
           strcmp (ward, "Lye Valley") == 0))
        {
          r->shortlist_user = STAFF_INSPECTOR;
          r->shortlist_pos = ++n_inspector;
        }
      else if (n_maintenance < 8 && r->state == ST_ACTION_SCHEDULED)
        {
          r->shortlist_user = STAFF_MAINTENANCE;
          r->shortlist_pos = ++n_maintenance;
        }
    }
}

typedef struct {
  gint64  updated;
  guint32 index;
} SeqKey;

static int
cmp_seq_key (const void *a, const void *b)
{
  const SeqKey *x = a, *y = b;

  if (x->updated != y->updated)
    return x->updated < y->updated ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static int
cmp_event (const void *a, const void *b)
{
  const KsDemoEvent *x = a, *y = b;

  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  if (x->report != y->report)
    return x->report < y->report ? -1 : 1;
  return (int) x->pos - (int) y->pos;
}

/* The sync sequence numbers the reports in the order they last changed. */
static void
plan_sequence (KsDemoPlan *d)
{
  g_autofree SeqKey *keys = g_new (SeqKey, MAX (d->n, 1));

  for (guint i = 0; i < d->n; i++)
    {
      keys[i].updated = d->reports[i].updated;
      keys[i].index = i;
    }
  qsort (keys, d->n, sizeof *keys, cmp_seq_key);
  for (guint k = 0; k < d->n; k++)
    d->reports[keys[k].index].seq_rank = k;
  qsort (d->events->data, d->events->len, sizeof (KsDemoEvent), cmp_event);
}

static void
plan_weights (KsDemoPlan *d)
{
  double total = 0;

  d->cat_cum = g_new (double, ks_demo_n_categories);
  for (guint c = 0; c < ks_demo_n_categories; c++)
    d->cat_cum[c] = (total += ks_demo_categories[c].weight);

  d->street_cum = g_new (double, (gsize) ks_demo_n_categories * ks_demo_n_streets);
  for (guint c = 0; c < ks_demo_n_categories; c++)
    {
      const KsDemoCategory *cat = &ks_demo_categories[c];
      double *cum = d->street_cum + (gsize) c * ks_demo_n_streets;
      double sum = 0;

      for (guint s = 0; s < ks_demo_n_streets; s++)
        {
          const KsDemoStreet *st = &ks_demo_streets[s];
          cum[s] = (sum += (double) st->weight * cat->place_weight[st->kind]);
        }
    }
}

void
ks_demo_plan_clear (KsDemoPlan *d)
{
  g_clear_pointer (&d->rand, g_rand_free);
  g_clear_pointer (&d->reports, g_free);
  g_clear_pointer (&d->events, g_array_unref);
  g_clear_pointer (&d->street_cum, g_free);
  g_clear_pointer (&d->cat_cum, g_free);
  g_clear_pointer (&d->category_ids, g_free);
  g_clear_pointer (&d->priority_ids, g_free);
  for (guint i = 0; i < KS_DEMO_N_PHOTOS; i++)
    g_clear_pointer (&d->photos[i], g_free);
}

void
ks_demo_plan_make (KsDemoPlan *d)
{
  plan_weights (d);
  plan_when_what (d);
  for (guint i = 0; i < d->n; i++)
    plan_report (d, i);
  plan_duplicates (d);
  plan_moderation (d);
  plan_shortlists (d);
  plan_sequence (d);
}
