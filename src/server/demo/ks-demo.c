/* ks-demo.c: the demo council and its data set.
 *
 * `kerbside-server demo` creates (or refreshes) Oxford City Council with its staff,
 * roles, categories, priorities, templates and N reports spread over the last two
 * years. The same seed gives the same data (times are relative to the moment of
 * generation).
 *
 * It works in three passes: plan every report and its timeline in memory (all the
 * random choices, from one GRand), number the changes in the order they happened
 * (the sync sequence), then write everything in one transaction. The R*Tree and
 * full-text indexes and the reports' and updates' b-tree indexes are built once at
 * the end rather than row by row, which is what makes a million reports quick. */
#define G_LOG_DOMAIN "ks-demo"

#include "demo/ks-demo.h"
#include "demo/ks-demo-data.h"
#include "demo/ks-demo-photos.h"
#include "ks-error.h"
#include "auth/ks-password-hash.h"
#include "ks-permissions.h"
#include "sqlite/ks-sqlite-store-private.h"
#include "ks-states.h"
#include "store/ks-store-admin.h"
#include "ks-time.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DAY   ((gint64) 86400)
#define SPAN  (730 * DAY)
#define DEMO_SLUG "oxford"

enum { SOURCE_WEB, SOURCE_OPEN311, SOURCE_STAFF };
static const char * const source_ids[] = { "web", "open311", "staff" };

/* The states the demo uses, checked against ks-states.c at start. */
enum {
  ST_UNCONFIRMED, ST_HIDDEN, ST_CONFIRMED, ST_INVESTIGATING, ST_IN_PROGRESS,
  ST_ACTION_SCHEDULED, ST_AWAITING_INFORMATION, ST_FIXED, ST_NO_FURTHER_ACTION,
  ST_NOT_RESPONSIBLE, ST_DUPLICATE, ST_INTERNAL_REFERRAL, ST_CLOSED, N_ST,
  ST_NONE = 0xff
};
static const char * const state_ids[N_ST] = {
  "unconfirmed", "hidden", "confirmed", "investigating", "in_progress",
  "action_scheduled", "awaiting_information", "fixed", "no_further_action",
  "not_responsible", "duplicate", "internal_referral", "closed",
};

/* Indices into ks_demo_staff. */
enum { STAFF_CS, STAFF_INSPECTOR, STAFF_MAINTENANCE, STAFF_ADMIN, N_STAFF, NO_STAFF = 0xff };

typedef enum {
  EV_ACKNOWLEDGE, EV_PRIORITY, EV_STATE, EV_UPDATE, EV_REQUEST_INFO, EV_HIDE,
  EV_REPORTER_UPDATE, EV_REPORTER_FIXED,
} EventKind;
static const char * const event_kind_ids[] = {
  "acknowledge", "priority", "state", "update", "request_info", "hide", "update", "state",
};

enum { MOD_NONE, MOD_TITLE, MOD_DETAIL, MOD_HIDE_NAME, MOD_PHOTO };

#define F_EMAIL      1
#define F_PHONE      2
#define F_SHOW_NAME  4
#define F_PHOTO      8
#define F_PATROL    16   /* entered by an inspector on patrol */

typedef struct {
  gint64  created, confirmed, updated, acknowledged, mod_time;
  double  lat, lon;
  guint32 text_seed;
  guint32 seq_rank;
  guint16 street;
  guint16 version;
  guint16 shortlist_pos;
  guint8  category;
  guint8  ward;
  guint8  state;
  guint8  priority;        /* 0xff: none */
  guint8  source;
  guint8  flags;
  guint8  ack_by;
  guint8  mod_kind;
  guint8  mod_by;
  guint8  shortlist_user;  /* NO_STAFF: not on a shortlist */
} DemoReport;

typedef struct {
  gint64  time;
  guint32 report;
  guint8  kind;
  guint8  state;
  guint8  staff;
  guint8  variant;
  guint8  pos;             /* order within the report's timeline */
} DemoEvent;

typedef struct {
  GRand      *rand;
  gint64      now;
  gint64      start;
  guint       n;
  DemoReport *reports;
  GArray     *events;
  double     *street_cum;  /* per category: ks_demo_n_streets cumulative weights */
  double     *cat_cum;
  gint64      body_id;
  gint64      staff_ids[N_STAFF];
  gint64     *category_ids;
  gint64     *priority_ids;
  gint64      first_id;
  gint64      seq_base;
  guint       n_moderation;
  char       *photos[KS_DEMO_N_PHOTOS];  /* references of the demo photos, or NULLs */
} Demo;

/* The photo a report (or its update) shows: one of the demo photos that suits its
 * category when they were written, else a made-up address. */
static const char *
pick_photo (const Demo *d, const KsDemoCategory *cat, guint64 pick, char *buf, gsize size)
{
  if (d->photos[0] != NULL)
    return d->photos[ks_demo_photo_scene (cat->code) * KS_DEMO_PHOTOS_PER_SCENE +
                     pick % KS_DEMO_PHOTOS_PER_SCENE];
  g_snprintf (buf, size, "https://photos.demo.invalid/oxford/%016" G_GINT64_MODIFIER "x.jpeg",
              pick);
  return buf;
}

/* Randomness */

static inline double
rnd (Demo *d)
{
  return g_rand_double (d->rand);
}

static inline guint
rnd_int (Demo *d, guint n)
{
  return n > 1 ? (guint) g_rand_int_range (d->rand, 0, (gint32) n) : 0;
}

static double
rnd_exp (Demo *d, double mean)
{
  return -mean * log (1.0 - rnd (d));
}

static double
rnd_normal (Demo *d)
{
  double u1 = 1.0 - rnd (d), u2 = rnd (d);
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

static double
rnd_lognormal (Demo *d, double median, double sigma)
{
  return median * exp (sigma * rnd_normal (d));
}

/* Text choices are made with a small generator seeded per report, so that the
 * text of a report can be written without replaying the plan. */
typedef struct { guint64 s; } TextRand;

static inline guint64
tr_next (TextRand *r)
{
  guint64 z = (r->s += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline guint
tr_int (TextRand *r, guint n)
{
  return (guint) (tr_next (r) % n);
}

static inline gboolean
tr_chance (TextRand *r, guint percent)
{
  return tr_int (r, 100) < percent;
}

static const char *
tr_pick (TextRand *r, const char * const *pool)
{
  return pool[tr_int (r, ks_demo_pool_size (pool))];
}

static inline TextRand
tr_init (guint32 seed, guint32 salt)
{
  TextRand r = { ((guint64) seed << 32) ^ salt ^ G_GUINT64_CONSTANT (0x5deece66d) };
  tr_next (&r);
  return r;
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
day_weight (Demo *d, const KsDemoCategory *cat, gint64 t)
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
plan_when_what (Demo *d)
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
plan_place (Demo *d, DemoReport *r)
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
pick_priority (Demo *d, const KsDemoCategory *cat)
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
pick_state (Demo *d, double age)
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
pick_worker (Demo *d)
{
  double u = rnd (d);
  return u < 0.55 ? STAFF_INSPECTOR : u < 0.9 ? STAFF_MAINTENANCE : STAFF_ADMIN;
}

/* Adds an event to the report's timeline; returns its time. */
static gint64
add_event (Demo      *d,
           guint      report,
           gint64     time,
           EventKind  kind,
           guint8     state,
           guint8     staff)
{
  DemoReport *r = &d->reports[report];
  DemoEvent ev;

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
resolution_delay (Demo *d, DemoReport *r)
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
plan_timeline (Demo *d, guint i)
{
  DemoReport *r = &d->reports[i];
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
plan_report (Demo *d, guint i)
{
  DemoReport *r = &d->reports[i];
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

/* A few reports were moderated: a title or detail edited, a name hidden, a
 * photo removed. */
static void
plan_moderation (Demo *d)
{
  guint want = d->n == 0 ? 0 : CLAMP (d->n / 2000, 3, 500);
  guint tries = 0;

  want = MIN (want, d->n / 4);
  while (d->n_moderation < want && tries++ < want * 100)
    {
      DemoReport *r = &d->reports[rnd_int (d, d->n)];
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
plan_shortlists (Demo *d)
{
  guint n_inspector = 0, n_maintenance = 0;

  for (guint k = d->n; k-- > 0 && (n_inspector < 12 || n_maintenance < 8);)
    {
      DemoReport *r = &d->reports[k];
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
  const DemoEvent *x = a, *y = b;

  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  if (x->report != y->report)
    return x->report < y->report ? -1 : 1;
  return (int) x->pos - (int) y->pos;
}

/* The sync sequence numbers the reports in the order they last changed. */
static void
plan_sequence (Demo *d)
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
  qsort (d->events->data, d->events->len, sizeof (DemoEvent), cmp_event);
}

static void
plan_weights (Demo *d)
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

/* Text */

typedef struct {
  const char *street;
  guint       num;
  guint       weeks;
  guint       lamp;
  const char *near;
} TextContext;

static void expand (GString *out, const char *tmpl, const TextContext *ctx);

static void
expand_token (GString *out, const char *name, gsize len, const TextContext *ctx)
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
    expand (out, ctx->near, ctx);
}

static void
expand (GString *out, const char *tmpl, const TextContext *ctx)
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

static void
text_context (const DemoReport *r, TextRand *tr, TextContext *ctx)
{
  ctx->street = ks_demo_streets[r->street].name;
  ctx->num = 1 + (r->text_seed >> 20) % 140;
  ctx->lamp = 1 + (r->text_seed >> 4) % 4999;
  ctx->weeks = 2 + tr_int (tr, 7);
  ctx->near = tr_pick (tr, ks_demo_near);
}

typedef struct {
  char name[64];
  char email[96];
  char phone[16];
} Reporter;

/* The reporter's identity, derived from the report's seed alone. */
static void
reporter_identity (const DemoReport *r, Reporter *out)
{
  TextRand tr = tr_init (r->text_seed, 0x7e9);
  const char *first = tr_pick (&tr, ks_demo_first_names);
  const char *last = tr_pick (&tr, ks_demo_last_names);
  const char *domain = tr_pick (&tr, ks_demo_email_domains);
  g_autofree char *lf = g_ascii_strdown (first, -1);
  g_autofree char *ll = g_ascii_strdown (last, -1);
  char *q;

  /* Apostrophes are fine in names but not in these addresses. */
  for (char *p = q = ll; *p; p++)
    if (*p != '\'')
      *q++ = *p;
  *q = '\0';

  g_snprintf (out->name, sizeof out->name, "%s %s", first, last);
  switch (tr_int (&tr, 5))
    {
    case 0: g_snprintf (out->email, sizeof out->email, "%s.%s@%s", lf, ll, domain); break;
    case 1: g_snprintf (out->email, sizeof out->email, "%c%s%u@%s", lf[0], ll, tr_int (&tr, 99), domain); break;
    case 2: g_snprintf (out->email, sizeof out->email, "%s_%c@%s", lf, ll[0], domain); break;
    case 3: g_snprintf (out->email, sizeof out->email, "%s%u@%s", lf, 1950 + tr_int (&tr, 56), domain); break;
    default: g_snprintf (out->email, sizeof out->email, "%s.%s%u@%s", ll, lf, tr_int (&tr, 10), domain); break;
    }
  g_snprintf (out->phone, sizeof out->phone, "07700 900%03u", tr_int (&tr, 1000));
}

/* Database: the council and its settings */

static gboolean
step_id (sqlite3_stmt *st, gint64 *out_id, GError **error)
{
  int rc = sqlite3_step (st);

  if (rc == SQLITE_ROW)
    {
      if (out_id)
        *out_id = sqlite3_column_int64 (st, 0);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "The demo data could not be written (a row went missing); run the command again.");
      return FALSE;
    }
  return ks_sqlite_fail (sqlite3_db_handle (st), error);
}

static gboolean
ensure_body (KsStore *store, Demo *d, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
    "INSERT INTO bodies (name, slug, area_name, min_lat, min_lon, max_lat, max_lon, email, created) "
    "VALUES ('Oxford City Council', '" DEMO_SLUG "', 'Oxford', 51.71, -1.31, 51.79, -1.18, "
    "'enquiries@demo.invalid', ?) "
    "ON CONFLICT (slug) DO UPDATE SET name = excluded.name, area_name = excluded.area_name, "
    "min_lat = excluded.min_lat, min_lon = excluded.min_lon, max_lat = excluded.max_lat, "
    "max_lon = excluded.max_lon, email = excluded.email RETURNING id", error);

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, d->now);
  return step_id (st, &d->body_id, error);
}

/* The four default roles with exactly the permissions of the product's table. */
static gboolean
ensure_roles (KsStore *store, Demo *d, gint64 role_ids[KS_N_DEFAULT_ROLES], GError **error)
{
  if (!ks_store_admin_ensure_default_roles (store, d->body_id, error))
    return FALSE;
  for (guint role = 0; role < KS_N_DEFAULT_ROLES; role++)
    {
      g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
        "SELECT id FROM roles WHERE body_id = ? AND name = ?", error);

      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, d->body_id);
      ks_bind_text (st, 2, ks_default_role_name (role));
      if (!step_id (st, &role_ids[role], error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
ensure_staff (KsStore *store, Demo *d, char **hashes, const gint64 role_ids[KS_N_DEFAULT_ROLES],
              GError **error)
{
  for (guint s = 0; s < N_STAFF; s++)
    {
      const KsDemoStaff *staff = &ks_demo_staff[s];
      g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
        "INSERT INTO users (body_id, email, name, password_hash, active, created, updated) "
        "VALUES (?, ?, ?, ?, 1, ?, ?) "
        "ON CONFLICT (email) DO UPDATE SET body_id = excluded.body_id, name = excluded.name, "
        "password_hash = excluded.password_hash, active = 1, updated = excluded.updated "
        "RETURNING id", error);

      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, d->body_id);
      ks_bind_text (st, 2, staff->email);
      ks_bind_text (st, 3, staff->name);
      ks_bind_text (st, 4, hashes[s]);
      sqlite3_bind_int64 (st, 5, d->now);
      sqlite3_bind_int64 (st, 6, d->now);
      if (!step_id (st, &d->staff_ids[s], error))
        return FALSE;

      {
        g_autoptr(KsStmt) role = ks_sqlite_stmt (store,
          "INSERT OR IGNORE INTO user_roles (user_id, role_id) VALUES (?, ?)", error);
        if (role == NULL)
          return FALSE;
        sqlite3_bind_int64 (role, 1, d->staff_ids[s]);
        sqlite3_bind_int64 (role, 2, role_ids[staff->role]);
        if (!ks_sqlite_step_done (role, error))
          return FALSE;
      }
      {
        /* A refreshed demo can be signed in to straight away. */
        g_autoptr(KsStmt) unthrottle = ks_sqlite_stmt (store,
          "DELETE FROM login_failures WHERE scope = 'account' AND key = lower (?)", error);
        if (unthrottle == NULL)
          return FALSE;
        ks_bind_text (unthrottle, 1, staff->email);
        if (!ks_sqlite_step_done (unthrottle, error))
          return FALSE;
      }
    }
  return TRUE;
}

static gboolean
ensure_categories (KsStore *store, Demo *d, GError **error)
{
  d->category_ids = g_new0 (gint64, ks_demo_n_categories);
  for (guint c = 0; c < ks_demo_n_categories; c++)
    {
      const KsDemoCategory *cat = &ks_demo_categories[c];
      g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
        "INSERT INTO categories (body_id, code, name, group_name, description, active, private, "
        "destination, extra, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (body_id, code) DO UPDATE SET name = excluded.name, "
        "group_name = excluded.group_name, description = excluded.description, "
        "active = excluded.active, private = excluded.private, "
        "destination = excluded.destination, extra = excluded.extra, updated = excluded.updated "
        "RETURNING id", error);

      if (st == NULL)
        return FALSE;
      sqlite3_bind_int64 (st, 1, d->body_id);
      ks_bind_text (st, 2, cat->code);
      ks_bind_text (st, 3, cat->name);
      ks_bind_text (st, 4, cat->group);
      ks_bind_text (st, 5, cat->description);
      sqlite3_bind_int (st, 6, cat->active);
      sqlite3_bind_int (st, 7, cat->is_private);
      ks_bind_text (st, 8, cat->destination);
      ks_bind_text (st, 9, cat->extra);
      sqlite3_bind_int64 (st, 10, d->now);
      if (!step_id (st, &d->category_ids[c], error))
        return FALSE;
    }
  return TRUE;
}

/* Finds a row of the council by its name in a table without a unique key
 * (priorities by name, templates by title). */
static gboolean
find_by_name (KsStore *store, const char *sql, gint64 body_id, const char *name,
              gint64 *out_id, GError **error)
{
  g_autoptr(KsStmt) st = ks_sqlite_stmt (store, sql, error);
  int rc;

  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, body_id);
  ks_bind_text (st, 2, name);
  rc = sqlite3_step (st);
  *out_id = rc == SQLITE_ROW ? sqlite3_column_int64 (st, 0) : 0;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ks_sqlite_fail (sqlite3_db_handle (st), error);
  return TRUE;
}

static gboolean
ensure_priorities (KsStore *store, Demo *d, GError **error)
{
  d->priority_ids = g_new0 (gint64, ks_demo_n_priorities);
  for (guint p = 0; p < ks_demo_n_priorities; p++)
    {
      const KsDemoPriority *pr = &ks_demo_priorities[p];
      gint64 id;

      if (!find_by_name (store, "SELECT id FROM priorities WHERE body_id = ? AND name = ? "
                         "ORDER BY id LIMIT 1", d->body_id, pr->name, &id, error))
        return FALSE;
      {
        g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
          "INSERT INTO priorities (id, body_id, name, description, response_hours, position, "
          "active, updated) VALUES (?, ?, ?, ?, ?, ?, 1, ?) "
          "ON CONFLICT (id) DO UPDATE SET description = excluded.description, "
          "response_hours = excluded.response_hours, position = excluded.position, "
          "active = 1, updated = excluded.updated RETURNING id", error);
        if (st == NULL)
          return FALSE;
        ks_bind_id (st, 1, id);
        sqlite3_bind_int64 (st, 2, d->body_id);
        ks_bind_text (st, 3, pr->name);
        ks_bind_text (st, 4, pr->description);
        sqlite3_bind_int (st, 5, pr->response_hours);
        sqlite3_bind_int (st, 6, p + 1);
        sqlite3_bind_int64 (st, 7, d->now);
        if (!step_id (st, &d->priority_ids[p], error))
          return FALSE;
      }
      {
        g_autoptr(KsStmt) del = ks_sqlite_stmt (store,
          "DELETE FROM priority_categories WHERE priority_id = ?", error);
        if (del == NULL)
          return FALSE;
        sqlite3_bind_int64 (del, 1, d->priority_ids[p]);
        if (!ks_sqlite_step_done (del, error))
          return FALSE;
      }
      for (guint c = 0; c < ks_demo_n_categories; c++)
        {
          const KsDemoCategory *cat = &ks_demo_categories[c];
          g_autoptr(KsStmt) ins = NULL;

          if (!(pr->all_categories || (pr->hazard_only ? cat->hazard : cat->urgent)))
            continue;
          ins = ks_sqlite_stmt (store,
            "INSERT INTO priority_categories (priority_id, category_id) VALUES (?, ?)", error);
          if (ins == NULL)
            return FALSE;
          sqlite3_bind_int64 (ins, 1, d->priority_ids[p]);
          sqlite3_bind_int64 (ins, 2, d->category_ids[c]);
          if (!ks_sqlite_step_done (ins, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
ensure_templates (KsStore *store, Demo *d, GError **error)
{
  for (guint t = 0; t < ks_demo_n_templates; t++)
    {
      const KsDemoTemplate *tp = &ks_demo_templates[t];
      gint64 id, template_id;

      if (!find_by_name (store, "SELECT id FROM templates WHERE body_id = ? AND title = ? "
                         "ORDER BY id LIMIT 1", d->body_id, tp->title, &id, error))
        return FALSE;
      {
        g_autoptr(KsStmt) st = ks_sqlite_stmt (store,
          "INSERT INTO templates (id, body_id, title, text, state, position, updated) "
          "VALUES (?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (id) DO UPDATE SET text = excluded.text, state = excluded.state, "
          "position = excluded.position, updated = excluded.updated RETURNING id", error);
        if (st == NULL)
          return FALSE;
        ks_bind_id (st, 1, id);
        sqlite3_bind_int64 (st, 2, d->body_id);
        ks_bind_text (st, 3, tp->title);
        ks_bind_text (st, 4, tp->text);
        ks_bind_text (st, 5, tp->state);
        sqlite3_bind_int (st, 6, t + 1);
        sqlite3_bind_int64 (st, 7, d->now);
        if (!step_id (st, &template_id, error))
          return FALSE;
      }
      {
        g_autoptr(KsStmt) del = ks_sqlite_stmt (store,
          "DELETE FROM template_categories WHERE template_id = ?", error);
        if (del == NULL)
          return FALSE;
        sqlite3_bind_int64 (del, 1, template_id);
        if (!ks_sqlite_step_done (del, error))
          return FALSE;
      }
      if (tp->categories != NULL)
        {
          g_auto(GStrv) codes = g_strsplit (tp->categories, "|", -1);

          for (guint k = 0; codes[k]; k++)
            for (guint c = 0; c < ks_demo_n_categories; c++)
              {
                g_autoptr(KsStmt) ins = NULL;

                if (strcmp (codes[k], ks_demo_categories[c].code) != 0)
                  continue;
                ins = ks_sqlite_stmt (store,
                  "INSERT INTO template_categories (template_id, category_id) VALUES (?, ?)", error);
                if (ins == NULL)
                  return FALSE;
                sqlite3_bind_int64 (ins, 1, template_id);
                sqlite3_bind_int64 (ins, 2, d->category_ids[c]);
                if (!ks_sqlite_step_done (ins, error))
                  return FALSE;
              }
        }
    }
  return TRUE;
}

/* Database: bulk work */

typedef struct {
  GPtrArray *indexes;    /* CREATE INDEX statements of reports and updates */
  GPtrArray *triggers;   /* the insert/delete triggers that feed the R*Tree and FTS */
  char      *rtree_sql;
} SavedSchema;

static void
saved_schema_clear (SavedSchema *s)
{
  g_clear_pointer (&s->indexes, g_ptr_array_unref);
  g_clear_pointer (&s->triggers, g_ptr_array_unref);
  g_clear_pointer (&s->rtree_sql, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SavedSchema, saved_schema_clear)

static gboolean
collect_sql (KsStore *store, const char *select, GPtrArray *names, GPtrArray *sqls,
             GError **error)
{
  sqlite3_stmt *st = ks_sqlite_prepare (store, select, error);
  int rc;

  if (st == NULL)
    return FALSE;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      if (names)
        g_ptr_array_add (names, g_strdup (ks_col_text (st, 0)));
      g_ptr_array_add (sqls, g_strdup (ks_col_text (st, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      ks_sqlite_fail (sqlite3_db_handle (st), error);
      sqlite3_finalize (st);
      return FALSE;
    }
  sqlite3_finalize (st);
  return TRUE;
}

static gboolean
exec_printf (KsStore *store, GError **error, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
exec_printf (KsStore *store, GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *sql = NULL;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return ks_sqlite_exec (store, sql, error);
}

/* Drops the reports' and updates' indexes and the triggers that keep the R*Tree
 * and the full-text index in step, remembering their exact SQL. The names come
 * from sqlite_master (identifiers of the schema, not input). */
static gboolean
drop_indexes (KsStore *store, SavedSchema *saved, GError **error)
{
  g_autoptr(GPtrArray) index_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) trigger_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rtree = g_ptr_array_new_with_free_func (g_free);

  saved->indexes = g_ptr_array_new_with_free_func (g_free);
  saved->triggers = g_ptr_array_new_with_free_func (g_free);
  if (!collect_sql (store,
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name IN ('reports', 'updates') AND sql IS NOT NULL",
                    index_names, saved->indexes, error) ||
      !collect_sql (store,
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                    "AND name IN ('reports_ai', 'reports_ad')",
                    trigger_names, saved->triggers, error) ||
      !collect_sql (store,
                    "SELECT name, sql FROM sqlite_master WHERE name = 'reports_rtree'",
                    NULL, rtree, error))
    return FALSE;
  if (trigger_names->len != 2 || rtree->len != 1)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "The database schema is not the one this version expects; "
                   "use a database created by this version of kerbside-server.");
      return FALSE;
    }
  saved->rtree_sql = g_strdup (g_ptr_array_index (rtree, 0));
  for (guint i = 0; i < trigger_names->len; i++)
    if (!exec_printf (store, error, "DROP TRIGGER \"%s\"", (char *) g_ptr_array_index (trigger_names, i)))
      return FALSE;
  for (guint i = 0; i < index_names->len; i++)
    if (!exec_printf (store, error, "DROP INDEX \"%s\"", (char *) g_ptr_array_index (index_names, i)))
      return FALSE;
  return TRUE;
}

static gboolean
restore_indexes (KsStore *store, SavedSchema *saved, GError **error)
{
  for (guint i = 0; i < saved->indexes->len; i++)
    if (!ks_sqlite_exec (store, g_ptr_array_index (saved->indexes, i), error))
      return FALSE;
  for (guint i = 0; i < saved->triggers->len; i++)
    if (!ks_sqlite_exec (store, g_ptr_array_index (saved->triggers, i), error))
      return FALSE;
  return TRUE;
}

/* Removes the council's previous demo reports and everything that hangs off them:
 * the rows of every table with a foreign key to reports (updates, moderation,
 * answers to extra questions...), found in the schema so that tables added later
 * are covered too, and the council's tombstones. */
static gboolean
delete_old_reports (KsStore *store, Demo *d, gint64 *n_old, GError **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(KsStmt) st = NULL;

  if (!ks_sqlite_exec (store,
                       "CREATE TEMP TABLE IF NOT EXISTS demo_old (id INTEGER PRIMARY KEY);"
                       "DELETE FROM temp.demo_old;", error))
    return FALSE;
  st = ks_sqlite_stmt (store,
    "INSERT INTO temp.demo_old (id) SELECT id FROM reports WHERE body_id = ?", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, d->body_id);
  if (!ks_sqlite_step_done (st, error))
    return FALSE;
  *n_old = ks_sqlite_changes (store);
  if (*n_old == 0)
    return TRUE;

  if (!collect_sql (store,
                    "SELECT m.name, f.\"from\" FROM sqlite_master m, "
                    "pragma_foreign_key_list (m.name) f "
                    "WHERE m.type = 'table' AND f.\"table\" = 'reports' AND m.name <> 'reports'",
                    tables, columns, error))
    return FALSE;
  for (guint i = 0; i < tables->len; i++)
    if (!exec_printf (store, error, "DELETE FROM \"%s\" WHERE \"%s\" IN (SELECT id FROM temp.demo_old)",
                      (char *) g_ptr_array_index (tables, i), (char *) g_ptr_array_index (columns, i)))
      return FALSE;
  if (!ks_sqlite_exec (store, "DELETE FROM reports WHERE id IN (SELECT id FROM temp.demo_old)", error))
    return FALSE;
  {
    g_autoptr(KsStmt) tomb = ks_sqlite_stmt (store,
      "DELETE FROM tombstones WHERE body_id = ?", error);
    if (tomb == NULL)
      return FALSE;
    sqlite3_bind_int64 (tomb, 1, d->body_id);
    return ks_sqlite_step_done (tomb, error);
  }
}

static void
progress (const char *what, guint done, guint total, gint64 t0)
{
  g_printerr ("demo: %s %u/%u (%.1f s)\n", what, done, total,
              (g_get_monotonic_time () - t0) / 1e6);
}

static gboolean
query_int (KsStore *store, const char *sql, gint64 *out, GError **error)
{
  sqlite3_stmt *st = ks_sqlite_prepare (store, sql, error);
  gboolean ok;

  if (st == NULL)
    return FALSE;
  ok = sqlite3_step (st) == SQLITE_ROW;
  if (ok)
    *out = sqlite3_column_int64 (st, 0);
  else
    ks_sqlite_fail (sqlite3_db_handle (st), error);
  sqlite3_finalize (st);
  return ok;
}

/* Answers to the category's extra questions, as an Open311 client sends them. */
static gboolean
write_attributes (sqlite3_stmt *st, gint64 id, const DemoReport *r, TextRand *tr,
                  const TextContext *ctx, GError **error)
{
  static const char * const depths[] = { "under_4cm", "4_to_10cm", "over_10cm" };
  static const char * const sizes[] = { "single_item", "car_boot", "van_load" };
  static const char * const vehicles[] = {
    "Silver Ford Focus", "Blue Vauxhall Corsa", "Black BMW 3 Series", "White Ford Transit van",
    "Red Volkswagen Golf", "Grey Toyota Yaris", "Green Land Rover Discovery", NULL
  };
  const char *code = ks_demo_categories[r->category].code;
  const char *codes[2] = { NULL, NULL };
  char values[2][32];
  guint n = 0;

  if (strcmp (code, "potholes") == 0)
    {
      codes[0] = "depth";
      g_strlcpy (values[0], depths[tr_int (tr, 3)], sizeof values[0]);
      codes[1] = "in_cycle_lane";
      g_strlcpy (values[1], tr_chance (tr, 25) ? "yes" : "no", sizeof values[1]);
      n = 2;
    }
  else if (g_str_has_prefix (code, "street_light") || strcmp (code, "lamp_post_damaged") == 0)
    {
      if (tr_chance (tr, 70))
        {
          codes[0] = "lamp_post_number";
          g_snprintf (values[0], sizeof values[0], "%u", ctx->lamp);
          n = 1;
        }
    }
  else if (strcmp (code, "fly_tipping") == 0)
    {
      codes[0] = "size";
      g_strlcpy (values[0], sizes[tr_int (tr, 3)], sizeof values[0]);
      n = 1;
    }
  else if (strcmp (code, "abandoned_vehicle") == 0)
    {
      codes[0] = "registration";
      g_snprintf (values[0], sizeof values[0], "%c%c%02u %c%c%c",
                  'A' + tr_int (tr, 26), 'A' + tr_int (tr, 26), 51 + tr_int (tr, 24),
                  'A' + tr_int (tr, 26), 'A' + tr_int (tr, 26), 'A' + tr_int (tr, 26));
      codes[1] = "make_colour";
      g_strlcpy (values[1], tr_pick (tr, vehicles), sizeof values[1]);
      n = 2;
    }

  for (guint k = 0; k < n; k++)
    {
      sqlite3_bind_int64 (st, 1, id);
      sqlite3_bind_int (st, 2, k);
      sqlite3_bind_text (st, 3, codes[k], -1, SQLITE_STATIC);
      sqlite3_bind_text (st, 4, values[k], -1, SQLITE_STATIC);
      if (sqlite3_step (st) != SQLITE_DONE)
        return ks_sqlite_fail (sqlite3_db_handle (st), error);
      sqlite3_reset (st);
    }
  return TRUE;
}

static gboolean
write_reports (KsStore *store, Demo *d, gint64 t0, GError **error)
{
  sqlite3_stmt *st = NULL, *mod = NULL, *attr = NULL;
  gint64 has_attributes = 0;
  g_autoptr(GString) title = g_string_sized_new (128);
  g_autoptr(GString) detail = g_string_sized_new (512);
  g_autoptr(GString) address = g_string_sized_new (64);
  g_autoptr(GString) old_text = g_string_sized_new (512);
  char photo_buf[96], external_id[32];
  const char *photo;
  gboolean ok = FALSE;

  st = ks_sqlite_prepare (store,
    "INSERT INTO reports (id, body_id, category_id, title, detail, lat, lon, ward, address, "
    "state, priority_id, reporter_name, reporter_email, reporter_phone, show_name, photo, "
    "source, external_id, created_by, created, confirmed, updated, acknowledged, "
    "acknowledged_by, shortlist_user, shortlist_pos, version, seq) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    error);
  mod = ks_sqlite_prepare (store,
    "INSERT INTO moderation (report_id, user_id, reason, created, old_title, new_title, "
    "old_detail, new_detail, old_show_name, new_show_name, old_photo, photo_removed) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (st == NULL || mod == NULL)
    goto out;
  if (!query_int (store, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                  "AND name = 'report_attributes'", &has_attributes, error))
    goto out;
  if (has_attributes &&
      (attr = ks_sqlite_prepare (store,
         "INSERT INTO report_attributes (report_id, position, code, value) VALUES (?, ?, ?, ?)",
         error)) == NULL)
    goto out;

  for (guint i = 0; i < d->n; i++)
    {
      const DemoReport *r = &d->reports[i];
      const KsDemoCategory *cat = &ks_demo_categories[r->category];
      const KsDemoStreet *street = &ks_demo_streets[r->street];
      TextRand tr = tr_init (r->text_seed, 0x51);
      TextContext ctx;
      Reporter who;
      gint64 id = d->first_id + i;

      text_context (r, &tr, &ctx);
      reporter_identity (r, &who);
      g_string_truncate (title, 0);
      expand (title, tr_pick (&tr, cat->titles), &ctx);
      g_string_truncate (detail, 0);
      expand (detail, tr_pick (&tr, cat->details), &ctx);
      if (tr_chance (&tr, 70))
        {
          g_string_append_c (detail, ' ');
          expand (detail, tr_pick (&tr, ks_demo_detail_tails), &ctx);
        }
      g_string_truncate (address, 0);
      if (street->kind == KS_DEMO_PLACE_RESIDENTIAL && tr_chance (&tr, 30))
        g_string_append_printf (address, "%u ", ctx.num);
      g_string_append (address, street->name);
      g_string_append (address, ", Oxford");
      photo = pick_photo (d, cat, tr_next (&tr), photo_buf, sizeof photo_buf);
      g_snprintf (external_id, sizeof external_id, "%" G_GINT64_FORMAT, (gint64) 4100000 + i * 3 + tr_int (&tr, 3));

      sqlite3_bind_int64 (st, 1, id);
      sqlite3_bind_int64 (st, 2, d->body_id);
      sqlite3_bind_int64 (st, 3, d->category_ids[r->category]);
      sqlite3_bind_text (st, 4, title->str, (int) title->len, SQLITE_STATIC);
      sqlite3_bind_text (st, 5, detail->str, (int) detail->len, SQLITE_STATIC);
      sqlite3_bind_double (st, 6, round (r->lat * 1e6) / 1e6);
      sqlite3_bind_double (st, 7, round (r->lon * 1e6) / 1e6);
      sqlite3_bind_text (st, 8, ks_demo_wards[r->ward].name, -1, SQLITE_STATIC);
      sqlite3_bind_text (st, 9, address->str, (int) address->len, SQLITE_STATIC);
      sqlite3_bind_text (st, 10, state_ids[r->state], -1, SQLITE_STATIC);
      if (r->priority != 0xff)
        sqlite3_bind_int64 (st, 11, d->priority_ids[r->priority]);
      else
        sqlite3_bind_null (st, 11);
      if (r->flags & F_PATROL)
        {
          sqlite3_bind_text (st, 12, ks_demo_staff[STAFF_INSPECTOR].name, -1, SQLITE_STATIC);
          sqlite3_bind_text (st, 13, ks_demo_staff[STAFF_INSPECTOR].email, -1, SQLITE_STATIC);
          sqlite3_bind_null (st, 14);
        }
      else
        {
          sqlite3_bind_text (st, 12, who.name, -1, SQLITE_STATIC);
          if (r->flags & F_EMAIL)
            sqlite3_bind_text (st, 13, who.email, -1, SQLITE_STATIC);
          else
            sqlite3_bind_null (st, 13);
          if (r->flags & F_PHONE)
            sqlite3_bind_text (st, 14, who.phone, -1, SQLITE_STATIC);
          else
            sqlite3_bind_null (st, 14);
        }
      sqlite3_bind_int (st, 15, (r->flags & F_SHOW_NAME) != 0);
      if (r->flags & F_PHOTO)
        sqlite3_bind_text (st, 16, photo, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (st, 16);
      sqlite3_bind_text (st, 17, source_ids[r->source], -1, SQLITE_STATIC);
      if (r->source == SOURCE_OPEN311)
        sqlite3_bind_text (st, 18, external_id, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (st, 18);
      if (r->source == SOURCE_STAFF)
        sqlite3_bind_int64 (st, 19, d->staff_ids[(r->flags & F_PATROL) ? STAFF_INSPECTOR : STAFF_CS]);
      else
        sqlite3_bind_null (st, 19);
      sqlite3_bind_int64 (st, 20, r->created);
      if (r->confirmed)
        sqlite3_bind_int64 (st, 21, r->confirmed);
      else
        sqlite3_bind_null (st, 21);
      sqlite3_bind_int64 (st, 22, r->updated);
      if (r->ack_by != NO_STAFF)
        {
          sqlite3_bind_int64 (st, 23, r->acknowledged);
          sqlite3_bind_int64 (st, 24, d->staff_ids[r->ack_by]);
        }
      else
        {
          sqlite3_bind_null (st, 23);
          sqlite3_bind_null (st, 24);
        }
      if (r->shortlist_user != NO_STAFF)
        {
          sqlite3_bind_int64 (st, 25, d->staff_ids[r->shortlist_user]);
          sqlite3_bind_int (st, 26, r->shortlist_pos);
        }
      else
        {
          sqlite3_bind_null (st, 25);
          sqlite3_bind_null (st, 26);
        }
      sqlite3_bind_int (st, 27, r->version);
      sqlite3_bind_int64 (st, 28, d->seq_base + 1 + r->seq_rank);
      if (sqlite3_step (st) != SQLITE_DONE)
        {
          ks_sqlite_fail (sqlite3_db_handle (st), error);
          goto out;
        }
      sqlite3_reset (st);
      if (attr != NULL && !write_attributes (attr, id, r, &tr, &ctx, error))
        goto out;

      if (r->mod_kind != MOD_NONE)
        {
          const char *reason;

          for (int k = 5; k <= 11; k++)
            sqlite3_bind_null (mod, k);
          sqlite3_bind_int (mod, 12, 0);
          g_string_truncate (old_text, 0);
          switch (r->mod_kind)
            {
            case MOD_TITLE:
              reason = "Abusive language removed from the title.";
              g_string_append_printf (old_text, "%s - sort it out you useless lot!!!", title->str);
              sqlite3_bind_text (mod, 5, old_text->str, (int) old_text->len, SQLITE_STATIC);
              sqlite3_bind_text (mod, 6, title->str, (int) title->len, SQLITE_STATIC);
              break;
            case MOD_DETAIL:
              reason = "Removed personal information about a third party.";
              g_string_append_printf (old_text, "%s It is %s %s at number %u who keeps doing this.",
                                      detail->str, tr_pick (&tr, ks_demo_first_names),
                                      tr_pick (&tr, ks_demo_last_names), ctx.num);
              sqlite3_bind_text (mod, 7, old_text->str, (int) old_text->len, SQLITE_STATIC);
              sqlite3_bind_text (mod, 8, detail->str, (int) detail->len, SQLITE_STATIC);
              break;
            case MOD_HIDE_NAME:
              reason = "The reporter asked us to hide their name.";
              sqlite3_bind_int (mod, 9, 1);
              sqlite3_bind_int (mod, 10, 0);
              break;
            default:
              reason = "Photo removed: it showed people's faces and a number plate.";
              sqlite3_bind_text (mod, 11, photo, -1, SQLITE_STATIC);
              sqlite3_bind_int (mod, 12, 1);
              break;
            }
          sqlite3_bind_int64 (mod, 1, id);
          sqlite3_bind_int64 (mod, 2, d->staff_ids[r->mod_by]);
          sqlite3_bind_text (mod, 3, reason, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (mod, 4, r->mod_time);
          if (sqlite3_step (mod) != SQLITE_DONE)
            {
              ks_sqlite_fail (sqlite3_db_handle (mod), error);
              goto out;
            }
          sqlite3_reset (mod);
        }

      if ((i + 1) % 100000 == 0)
        progress ("reports written", i + 1, d->n, t0);
    }
  ok = TRUE;

out:
  sqlite3_finalize (st);
  sqlite3_finalize (mod);
  sqlite3_finalize (attr);
  return ok;
}

static const char * const *
event_pool (const DemoEvent *ev, const KsDemoCategory *cat)
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

static gboolean
write_updates (KsStore *store, Demo *d, gint64 t0, GError **error)
{
  sqlite3_stmt *st;
  g_autoptr(GString) text = g_string_sized_new (256);
  char photo_buf[96], external_id[32];
  DemoEvent *events = (DemoEvent *) d->events->data;
  gboolean ok = FALSE;

  st = ks_sqlite_prepare (store,
    "INSERT INTO updates (report_id, user_id, author_name, kind, text, photo, state, "
    "priority_id, public, source, external_id, created) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (st == NULL)
    return FALSE;

  for (guint e = 0; e < d->events->len; e++)
    {
      const DemoEvent *ev = &events[e];
      const DemoReport *r = &d->reports[ev->report];
      const KsDemoCategory *cat = &ks_demo_categories[r->category];
      const char * const *pool = event_pool (ev, cat);
      TextRand tr = tr_init (r->text_seed ^ ((guint32) ev->variant << 24), 0x300 + ev->pos);
      gboolean by_reporter = ev->staff == NO_STAFF;
      gboolean is_public = TRUE;
      TextContext ctx;
      Reporter who;

      text_context (r, &tr, &ctx);
      g_string_truncate (text, 0);
      if (ev->kind == EV_ACKNOWLEDGE && tr_chance (&tr, 60))
        pool = NULL;   /* most acknowledgements say nothing */
      if (pool != NULL)
        expand (text, tr_pick (&tr, pool), &ctx);
      if (ev->kind == EV_PRIORITY || ev->kind == EV_HIDE ||
          (ev->kind == EV_ACKNOWLEDGE && text->len == 0))
        is_public = FALSE;

      sqlite3_bind_int64 (st, 1, d->first_id + ev->report);
      if (by_reporter)
        {
          reporter_identity (r, &who);
          sqlite3_bind_null (st, 2);
          sqlite3_bind_text (st, 3, who.name, -1, SQLITE_TRANSIENT);
        }
      else
        {
          sqlite3_bind_int64 (st, 2, d->staff_ids[ev->staff]);
          sqlite3_bind_text (st, 3, ks_demo_staff[ev->staff].name, -1, SQLITE_STATIC);
        }
      sqlite3_bind_text (st, 4, event_kind_ids[ev->kind], -1, SQLITE_STATIC);
      sqlite3_bind_text (st, 5, text->str, (int) text->len, SQLITE_STATIC);
      if (ev->kind == EV_STATE && ev->state == ST_FIXED && tr_chance (&tr, 10))
        {
          const char *photo = pick_photo (d, cat, tr_next (&tr), photo_buf, sizeof photo_buf);
          sqlite3_bind_text (st, 6, photo, -1, SQLITE_STATIC);
        }
      else
        sqlite3_bind_null (st, 6);
      if (ev->state != ST_NONE)
        sqlite3_bind_text (st, 7, state_ids[ev->state], -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (st, 7);
      if (ev->kind == EV_PRIORITY && r->priority != 0xff)
        sqlite3_bind_int64 (st, 8, d->priority_ids[r->priority]);
      else
        sqlite3_bind_null (st, 8);
      sqlite3_bind_int (st, 9, is_public);
      if (!by_reporter)
        {
          sqlite3_bind_text (st, 10, "staff", -1, SQLITE_STATIC);
          sqlite3_bind_null (st, 11);
        }
      else if (r->source == SOURCE_OPEN311)
        {
          g_snprintf (external_id, sizeof external_id, "%u", 9000000 + e);
          sqlite3_bind_text (st, 10, "open311", -1, SQLITE_STATIC);
          sqlite3_bind_text (st, 11, external_id, -1, SQLITE_STATIC);
        }
      else
        {
          sqlite3_bind_text (st, 10, "web", -1, SQLITE_STATIC);
          sqlite3_bind_null (st, 11);
        }
      sqlite3_bind_int64 (st, 12, ev->time);
      if (sqlite3_step (st) != SQLITE_DONE)
        {
          ks_sqlite_fail (sqlite3_db_handle (st), error);
          goto out;
        }
      sqlite3_reset (st);
      if ((e + 1) % 250000 == 0)
        progress ("updates written", e + 1, d->events->len, t0);
    }
  ok = TRUE;

out:
  sqlite3_finalize (st);
  return ok;
}

/* Rebuilds the R*Tree and the full-text index from the reports table. With no
 * old rows removed, only the new reports need adding. */
static gboolean
rebuild_search (KsStore *store, Demo *d, SavedSchema *saved, gboolean full, gint64 t0,
                GError **error)
{
  g_autoptr(KsStmt) rt = NULL;
  g_autoptr(KsStmt) fts = NULL;

  if (full)
    {
      if (!ks_sqlite_exec (store, "DROP TABLE reports_rtree", error) ||
          !ks_sqlite_exec (store, saved->rtree_sql, error))
        return FALSE;
    }
  rt = ks_sqlite_stmt (store,
    "INSERT INTO reports_rtree (id, min_lat, max_lat, min_lon, max_lon, updated) "
    "SELECT id, lat, lat, lon, lon, updated FROM reports WHERE id >= ? ORDER BY id", error);
  if (rt == NULL)
    return FALSE;
  sqlite3_bind_int64 (rt, 1, full ? 0 : d->first_id);
  if (!ks_sqlite_step_done (rt, error))
    return FALSE;
  g_printerr ("demo: map index built (%.1f s)\n", (g_get_monotonic_time () - t0) / 1e6);

  if (full)
    return ks_sqlite_exec (store, "INSERT INTO reports_fts (reports_fts) VALUES ('rebuild')", error);
  fts = ks_sqlite_stmt (store,
    "INSERT INTO reports_fts (rowid, title, detail) "
    "SELECT id, title, detail FROM reports WHERE id >= ? ORDER BY id", error);
  if (fts == NULL)
    return FALSE;
  sqlite3_bind_int64 (fts, 1, d->first_id);
  return ks_sqlite_step_done (fts, error);
}

static gboolean
write_sequence (KsStore *store, Demo *d, GError **error)
{
  gint64 next = d->seq_base + d->n;
  g_autoptr(KsStmt) tomb = NULL;
  g_autoptr(KsStmt) meta = NULL;

  /* Old reports that are gone for good: tell syncing apps to drop them. */
  tomb = ks_sqlite_stmt (store,
    "INSERT INTO tombstones (report_id, body_id, user_id, seq) "
    "SELECT o.id, ?1, NULL, ?2 + row_number () OVER (ORDER BY o.id) FROM temp.demo_old o "
    "WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = o.id AND r.body_id = ?1)", error);
  if (tomb == NULL)
    return FALSE;
  sqlite3_bind_int64 (tomb, 1, d->body_id);
  sqlite3_bind_int64 (tomb, 2, next);
  if (!ks_sqlite_step_done (tomb, error))
    return FALSE;
  next += ks_sqlite_changes (store);

  meta = ks_sqlite_stmt (store, "UPDATE meta SET value = ? WHERE key = 'seq'", error);
  if (meta == NULL)
    return FALSE;
  sqlite3_bind_int64 (meta, 1, next);
  return ks_sqlite_step_done (meta, error);
}

/* Hidden demo reports were hidden soon after they were confirmed: unhiding one
 * brings it back as confirmed (when the schema remembers the state). */
static gboolean
remember_state_before_hide (KsStore *store, Demo *d, GError **error)
{
  gint64 has_column = 0;
  sqlite3_stmt *st;
  gboolean ok;

  if (!query_int (store, "SELECT count(*) FROM pragma_table_info ('reports') "
                  "WHERE name = 'state_before_hide'", &has_column, error))
    return FALSE;
  if (!has_column)
    return TRUE;
  st = ks_sqlite_prepare (store,
    "UPDATE reports SET state_before_hide = 'confirmed' "
    "WHERE id >= ? AND body_id = ? AND state = 'hidden'", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, d->first_id);
  sqlite3_bind_int64 (st, 2, d->body_id);
  ok = ks_sqlite_step_done (st, error);
  sqlite3_finalize (st);
  return ok;
}

static gboolean
write_all (KsStore *store, Demo *d, char **hashes, gint64 t0, GError **error)
{
  g_auto(SavedSchema) saved = { NULL, };
  gint64 role_ids[KS_N_DEFAULT_ROLES];
  gint64 n_old = 0;

  if (!ensure_body (store, d, error) ||
      !ensure_roles (store, d, role_ids, error) ||
      !ensure_staff (store, d, hashes, role_ids, error) ||
      !ensure_categories (store, d, error) ||
      !ensure_priorities (store, d, error) ||
      !ensure_templates (store, d, error))
    return FALSE;

  if (!drop_indexes (store, &saved, error) ||
      !delete_old_reports (store, d, &n_old, error))
    return FALSE;
  if (n_old > 0)
    g_printerr ("demo: removed %" G_GINT64_FORMAT " earlier demo reports (%.1f s)\n",
                n_old, (g_get_monotonic_time () - t0) / 1e6);

  if (!query_int (store, "SELECT coalesce (max (id), 0) + 1 FROM reports", &d->first_id, error) ||
      !query_int (store, "SELECT value FROM meta WHERE key = 'seq'", &d->seq_base, error))
    return FALSE;

  if (!write_reports (store, d, t0, error) ||
      !remember_state_before_hide (store, d, error))
    return FALSE;
  g_printerr ("demo: %u reports written (%.1f s)\n", d->n, (g_get_monotonic_time () - t0) / 1e6);
  if (!write_updates (store, d, t0, error))
    return FALSE;
  g_printerr ("demo: %u updates written (%.1f s)\n", d->events->len,
              (g_get_monotonic_time () - t0) / 1e6);
  if (!write_sequence (store, d, error))
    return FALSE;

  if (!rebuild_search (store, d, &saved, n_old > 0, t0, error))
    return FALSE;
  g_printerr ("demo: text search index built (%.1f s)\n",
              (g_get_monotonic_time () - t0) / 1e6);
  if (!restore_indexes (store, &saved, error))
    return FALSE;
  g_printerr ("demo: indexes built (%.1f s)\n", (g_get_monotonic_time () - t0) / 1e6);

  /* The statistics the query planner chooses indexes by, for the new volume. */
  if (!ks_sqlite_exec (store, "ANALYZE", error))
    return FALSE;
  g_printerr ("demo: query statistics gathered (%.1f s)\n", (g_get_monotonic_time () - t0) / 1e6);
  return TRUE;
}

static void
demo_clear (Demo *d)
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

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Demo, demo_clear)

static gboolean
check_tables (GError **error)
{
  if (ks_demo_n_staff != N_STAFF)
    goto bad;
  for (guint s = 0; s < N_ST; s++)
    if (!ks_state_is_valid (state_ids[s]))
      goto bad;
  return TRUE;

bad:
  g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
               "The demo data tables do not match this build's states or staff; "
               "rebuild kerbside-server from a clean tree.");
  return FALSE;
}

/* Connection settings for the bulk load, and how to put them back. */
static gboolean
begin_bulk (KsStore *store, gint64 *old_cache, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!query_int (store, "PRAGMA cache_size", old_cache, error))
    return FALSE;
  if (!ks_sqlite_exec (store,
                       "PRAGMA foreign_keys = OFF;"
                       "PRAGMA synchronous = OFF;"
                       "PRAGMA cache_size = -524288;"
                       "PRAGMA threads = 2;", error))
    return FALSE;
  if (!ks_sqlite_exec (store, "BEGIN IMMEDIATE", &local_error))
    {
      if (g_error_matches (local_error, KS_ERROR, KS_ERROR_UNAVAILABLE))
        g_set_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE,
                     "The database is busy with another program's writes; stop kerbside-server "
                     "on this database (or wait for it to finish) and run the demo again.");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static void
end_bulk (KsStore *store, gint64 old_cache)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA foreign_keys = ON;"
                                          "PRAGMA synchronous = NORMAL;"
                                          "PRAGMA threads = 0;"
                                          "PRAGMA cache_size = %" G_GINT64_FORMAT ";",
                                          old_cache);
  ks_sqlite_exec (store, sql, NULL);
}

/* bcrypt is slow on purpose: the staff passwords are hashed on threads of their
 * own while the reports are planned, before the write lock is taken. */
typedef struct {
  int      cost;
  char    *hash;
  GError  *error;
  GThread *thread;
} HashJob;

static gpointer
hash_thread (gpointer data)
{
  HashJob *job = data;

  job->hash = ks_password_hash (KS_DEMO_PASSWORD, job->cost, &job->error);
  return NULL;
}

/* KERBSIDE_DEMO_NOW (Unix seconds) pins the moment the data is laid out from, so
 * that the same seed gives exactly the same database (for tests and benchmarks). */
static gboolean
demo_now_override (gint64 *now, GError **error)
{
  const char *text = g_getenv ("KERBSIDE_DEMO_NOW");
  gint64 value;

  if (text == NULL || *text == '\0')
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, SPAN, G_MAXINT32, &value, NULL))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "KERBSIDE_DEMO_NOW must be a time in Unix seconds, such as 1767225600; "
                   "unset it to use the current time.");
      return FALSE;
    }
  *now = value;
  return TRUE;
}

gboolean
ks_demo_generate (KsStore *store, const KsDemoOptions *options, GError **error)
{
  g_auto(Demo) d = { NULL, };
  char *hashes[N_STAFF] = { NULL, };
  HashJob jobs[N_STAFF];
  gint64 t0 = g_get_monotonic_time ();
  gint64 old_cache = -65536;
  gboolean ok = FALSE;

  g_return_val_if_fail (options != NULL, FALSE);
  if (!check_tables (error))
    return FALSE;

  d.rand = g_rand_new_with_seed (options->seed);
  d.now = ks_time_now ();
  if (!demo_now_override (&d.now, error))
    return FALSE;
  d.start = d.now - SPAN;
  d.n = options->n_reports;
  d.reports = g_new0 (DemoReport, MAX (d.n, 1));
  d.events = g_array_sized_new (FALSE, FALSE, sizeof (DemoEvent), d.n + d.n / 2 + 16);

  for (guint s = 0; s < N_STAFF; s++)
    {
      jobs[s].cost = options->bcrypt_cost;
      jobs[s].hash = NULL;
      jobs[s].error = NULL;
      jobs[s].thread = g_thread_new ("demo-bcrypt", hash_thread, &jobs[s]);
    }

  g_printerr ("demo: planning %u reports (seed %u)\n", d.n, options->seed);
  plan_weights (&d);
  plan_when_what (&d);
  for (guint i = 0; i < d.n; i++)
    plan_report (&d, i);
  plan_moderation (&d);
  plan_shortlists (&d);
  plan_sequence (&d);
  g_printerr ("demo: planned %u reports and %u updates (%.1f s)\n", d.n, d.events->len,
              (g_get_monotonic_time () - t0) / 1e6);
  if (options->media_dir != NULL)
    {
      if (!ks_demo_photos_write (options->media_dir, options->seed, d.photos, error))
        {
          g_prefix_error (error, "Could not write the demo photos to %s: ", options->media_dir);
          for (guint s = 0; s < N_STAFF; s++)
            {
              g_thread_join (jobs[s].thread);
              g_free (jobs[s].hash);
              g_clear_error (&jobs[s].error);
            }
          return FALSE;
        }
      g_printerr ("demo: %u photos written to %s (%.1f s)\n", KS_DEMO_N_PHOTOS,
                  options->media_dir, (g_get_monotonic_time () - t0) / 1e6);
    }

  for (guint s = 0; s < N_STAFF; s++)
    {
      g_thread_join (jobs[s].thread);
      hashes[s] = jobs[s].hash;
      if (jobs[s].error != NULL)
        {
          if (error != NULL && *error == NULL)
            g_propagate_error (error, jobs[s].error);
          else
            g_error_free (jobs[s].error);
        }
    }
  for (guint s = 0; s < N_STAFF; s++)
    if (hashes[s] == NULL)
      goto out;

  if (!begin_bulk (store, &old_cache, error))
    {
      end_bulk (store, old_cache);
      goto out;
    }
  if (!write_all (store, &d, hashes, t0, error) ||
      !ks_store_commit (store, error))
    {
      ks_store_rollback (store);
      end_bulk (store, old_cache);
      goto out;
    }
  end_bulk (store, old_cache);
  g_printerr ("demo: committed (%.1f s)\n", (g_get_monotonic_time () - t0) / 1e6);
  /* Fold the write-ahead log into the database file. */
  ks_sqlite_exec (store, "PRAGMA wal_checkpoint (TRUNCATE)", NULL);

  g_printerr ("demo: %u reports, %u updates in %.1f s\n", d.n, d.events->len,
              (g_get_monotonic_time () - t0) / 1e6);
  g_print ("Demo council “Oxford City Council” is ready. Staff accounts (password %s):\n",
           KS_DEMO_PASSWORD);
  for (guint s = 0; s < N_STAFF; s++)
    g_print ("  %-32s %s (%s)\n", ks_demo_staff[s].email, ks_demo_staff[s].name,
             ks_default_role_name (ks_demo_staff[s].role));
  ok = TRUE;

out:
  for (guint s = 0; s < N_STAFF; s++)
    g_free (hashes[s]);
  return ok;
}
