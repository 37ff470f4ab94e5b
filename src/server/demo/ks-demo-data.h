/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-demo-data.h: the tables the demo council is made from: Oxford's wards and
 * streets, the categories with their report texts, names and update texts. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What kind of place a street (or park) is; categories favour some kinds. */
typedef enum {
  KS_DEMO_PLACE_MAIN,          /* main road */
  KS_DEMO_PLACE_CENTRE,        /* shopping street, city centre */
  KS_DEMO_PLACE_RESIDENTIAL,
  KS_DEMO_PLACE_PARK,
  KS_DEMO_N_PLACE_KINDS
} KsDemoPlaceKind;

/* When in the year a category peaks. */
typedef enum {
  KS_DEMO_SEASON_NONE,
  KS_DEMO_SEASON_WINTER,       /* frost and rain: potholes, flooding */
  KS_DEMO_SEASON_DARK,         /* long evenings: street lights */
  KS_DEMO_SEASON_SUMMER,       /* growth and picnics: vegetation, bins */
} KsDemoSeason;

typedef struct {
  const char *name;
  double      lat, lon;        /* centroid */
} KsDemoWard;

/* A street as a straight segment (or a park as a line across it). */
typedef struct {
  const char *name;
  double      lat1, lon1, lat2, lon2;
  guint8      kind;            /* KsDemoPlaceKind */
  guint8      weight;          /* how busy: relative share of reports */
} KsDemoStreet;

typedef struct {
  const char         *code;
  const char         *name;
  const char         *group;        /* '|' between several groups */
  const char         *description;
  const char         *destination;  /* email address */
  const char         *extra;        /* JSON array of extra questions */
  gboolean            is_private;
  gboolean            active;
  guint               weight;       /* share of reports, per ten thousand */
  guint8              place_weight[KS_DEMO_N_PLACE_KINDS];
  guint8              season;       /* KsDemoSeason */
  gboolean            hazard;       /* may be an emergency */
  gboolean            urgent;       /* may be urgent */
  /* NULL-terminated text pools; {street}, {near}, {num}, {weeks}, {lamp} are filled in. */
  const char * const *titles;
  const char * const *details;
  const char * const *fixed;        /* staff update when it is fixed */
  const char * const *scheduled;    /* staff update when work is scheduled */
} KsDemoCategory;

/* A response priority of the demo council. */
typedef struct {
  const char *name;
  const char *description;
  int         response_hours;
  gboolean    all_categories;  /* else only hazard (emergency) or urgent categories */
  gboolean    hazard_only;
  guint       weight;          /* how often it is chosen, when it applies */
} KsDemoPriority;

typedef struct {
  const char *title;
  const char *text;
  const char *state;           /* NULL: does not change the state */
  const char *categories;      /* '|'-separated category codes, or NULL for all */
} KsDemoTemplate;

/* A staff account of the demo council. */
typedef struct {
  const char *email;
  const char *name;
  guint       role;            /* KsDefaultRole */
} KsDemoStaff;

extern const KsDemoWard      ks_demo_wards[];
extern const guint           ks_demo_n_wards;
extern const KsDemoStreet    ks_demo_streets[];
extern const guint           ks_demo_n_streets;
extern const KsDemoCategory  ks_demo_categories[];
extern const guint           ks_demo_n_categories;
extern const KsDemoPriority  ks_demo_priorities[];
extern const guint           ks_demo_n_priorities;
extern const KsDemoTemplate  ks_demo_templates[];
extern const guint           ks_demo_n_templates;
extern const KsDemoStaff     ks_demo_staff[];
extern const guint           ks_demo_n_staff;

/* Pools of text, each NULL-terminated. */
extern const char * const ks_demo_first_names[];
extern const char * const ks_demo_last_names[];
extern const char * const ks_demo_email_domains[];
extern const char * const ks_demo_near[];            /* "near the bus stop" */
extern const char * const ks_demo_detail_tails[];    /* closing sentences of details */
extern const char * const ks_demo_ack_texts[];
extern const char * const ks_demo_investigating_texts[];
extern const char * const ks_demo_in_progress_texts[];
extern const char * const ks_demo_request_info_texts[];
extern const char * const ks_demo_staff_update_texts[];
extern const char * const ks_demo_reporter_update_texts[];
extern const char * const ks_demo_reporter_fixed_texts[];
extern const char * const ks_demo_no_further_action_texts[];
extern const char * const ks_demo_not_responsible_texts[];
extern const char * const ks_demo_duplicate_texts[];
extern const char * const ks_demo_internal_referral_texts[];
extern const char * const ks_demo_closed_texts[];
extern const char * const ks_demo_hide_texts[];

/* The number of strings in a NULL-terminated pool. */
guint ks_demo_pool_size (const char * const *pool);

G_END_DECLS
