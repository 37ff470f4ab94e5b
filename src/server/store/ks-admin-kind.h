/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-admin-kind.h: one declarative description per admin kind (categories,
 * priorities, templates, roles, staff accounts): its table and columns, the JSON
 * names and types of its fields, parsing limits, audit verbs and permission; and
 * the row that carries one object between the layers. Every layer (API, store,
 * SQLite) reads these tables instead of spelling each kind out. */
#pragma once

#include <glib.h>
#include "ks-permissions.h"

G_BEGIN_DECLS

typedef enum {
  KS_ADMIN_OBJECT_BODY,
  KS_ADMIN_OBJECT_CATEGORY,
  KS_ADMIN_OBJECT_PRIORITY,
  KS_ADMIN_OBJECT_TEMPLATE,
  KS_ADMIN_OBJECT_ROLE,
  KS_ADMIN_OBJECT_USER,
  KS_ADMIN_OBJECT_STATE,
  KS_ADMIN_OBJECT_EMAIL_TEMPLATE,
  KS_ADMIN_OBJECT_OPEN311_DESTINATION,
  KS_N_ADMIN_OBJECTS,
} KsAdminObject;

typedef enum {
  KS_ADMIN_TYPE_INT,          /* integer column */
  KS_ADMIN_TYPE_NULLABLE_INT, /* integer column that may be NULL (null) */
  KS_ADMIN_TYPE_TEXT,         /* text column (NULL: null) */
  KS_ADMIN_TYPE_BOOL,         /* 0/1 column */
  KS_ADMIN_TYPE_TIMESTAMP,    /* Unix seconds, written as ISO 8601 (0: null) */
  KS_ADMIN_TYPE_GROUPS,       /* '|'-separated names, written as a list */
  KS_ADMIN_TYPE_QUESTIONS,    /* JSON list kept as text, written as it is */
  KS_ADMIN_TYPE_ID_LINKS,     /* ids in a link table (owner, value) */
  KS_ADMIN_TYPE_PERMISSIONS,  /* permission ids in a link table (owner, permission) */
  KS_ADMIN_TYPE_REFS,         /* [{"id", "name"}] of the linked objects */
  KS_ADMIN_TYPE_COUNT,        /* how many linked objects have `where` set */
} KsAdminType;

typedef enum {
  KS_ADMIN_FIELD_READ_ONLY   = 1 << 0,  /* never taken from a request */
  KS_ADMIN_FIELD_WRITE_ONLY  = 1 << 1,  /* never written in an answer */
  KS_ADMIN_FIELD_REQUIRED    = 1 << 2,  /* a create needs it */
  KS_ADMIN_FIELD_NOT_BLANK   = 1 << 3,  /* text: not only spaces */
  KS_ADMIN_FIELD_NULLABLE    = 1 << 4,  /* null clears it */
  KS_ADMIN_FIELD_CREATE_ONLY = 1 << 5,  /* set on create, never changed */
  KS_ADMIN_FIELD_CUSTOM      = 1 << 6,  /* parsed by the kind's own handler */
  KS_ADMIN_FIELD_UPDATE_ONLY = 1 << 7,  /* a create leaves it to the table's default */
} KsAdminFieldFlags;

/* What a value must look like beyond its type. */
typedef enum {
  KS_ADMIN_CHECK_NONE,
  KS_ADMIN_CHECK_CODE,        /* letters, digits, "_", "-", "." (Open311 codes) */
  KS_ADMIN_CHECK_EMAIL,       /* an email address; "" means none */
  KS_ADMIN_CHECK_STATE,       /* a report state id (of the object's council) */
  KS_ADMIN_CHECK_NEW_STATE,   /* a code, and not a built-in state's */
  KS_ADMIN_CHECK_STATE_KIND,  /* "open", "fixed" or "closed" */
  KS_ADMIN_CHECK_OPEN311_STATUS, /* an Open311 status word */
  KS_ADMIN_CHECK_NOTICE_KIND, /* a kind of email to residents (ks-store-notices.h) */
  KS_ADMIN_CHECK_HTTP_URL,    /* an http(s) URL with a host */
} KsAdminCheck;

typedef struct {
  const char        *name;          /* JSON member */
  const char        *column;        /* column of the kind's table; NULL for links */
  KsAdminType        type;
  guint              flags;         /* KsAdminFieldFlags */
  gint64             max;           /* text: characters; numbers: largest value */
  KsAdminCheck       check;
  /* A create without the field: the column's value (text, or a number in
   * create_number when create_text is NULL and has_default). */
  gboolean           has_default;
  const char        *create_text;
  gint64             create_number;
  /* Links: the link table, its column naming the owner and the one naming the
   * linked object (or the permission); the kind of the linked objects. */
  const char        *link_table;
  const char        *link_owner;
  const char        *link_value;
  KsAdminObject      link_kind;
  const char        *where;         /* COUNT: the linked objects' flag column */
  const char        *clears;        /* a column set to NULL when this one is changed */
} KsAdminField;

/* A column that must be unique: in the council, or among all when global. */
typedef struct {
  const char  *field;
  gboolean     global;
  gboolean     nocase;
  const char  *message;             /* printf format taking the value */
} KsAdminUnique;

typedef struct {
  KsAdminObject       object;
  const char         *noun;         /* "category": in messages */
  const char         *list_key;     /* "categories": the answer's list member */
  const char         *table;
  const char         *order_by;     /* of the table's columns, SQL every store runs */
  const char         *object_type;  /* in the audit log */
  const char         *audit_create;
  const char         *audit_update;
  const char         *audit_delete;
  const char         *audit_name;   /* member named in a create's audit details */
  const char * const *audit_fields; /* members listed as changed, in this order */
  KsPermission        permission;   /* to change objects of the kind */
  gboolean            stamps_updated;  /* column "updated" is set on every write */
  gboolean            stamps_created;  /* column "created" is set on create */
  KsAdminUnique       unique;
  /* Delete is refused while objects of in_use_table name it in in_use_column. */
  const char         *in_use_table;
  const char         *in_use_column;
  const KsAdminField *fields;       /* ends with a NULL name; id and body_id first */
} KsAdminKind;

#define KS_ADMIN_MAX_FIELDS 16

const KsAdminKind  *ks_admin_kind        (KsAdminObject object);

/* Sets the error every store gives for an admin object that is not there
 * (KS_ERROR_NOT_FOUND, naming it by noun) and returns FALSE. */
gboolean            ks_admin_not_found   (const char *noun, GError **error);
/* The index of a field in its kind (-1 when it has none of that name). */
int                 ks_admin_kind_field  (const KsAdminKind *kind, const char *name);
guint               ks_admin_kind_n_fields (const KsAdminKind *kind);

/* One value of a row. */
typedef struct {
  gboolean         set;     /* given (input) or read (output) */
  gboolean         is_null;
  gint64           number;
  char            *text;
  GArray          *ids;     /* gint64: links and references */
  GPtrArray       *names;   /* references: the names beside ids */
  KsPermissionSet  permissions;
} KsAdminValue;

/* One object of a kind, value i for field i. As input, the values not set
 * are left alone (a create gives the field's default). */
typedef struct {
  const KsAdminKind *kind;
  KsAdminValue       values[KS_ADMIN_MAX_FIELDS];
} KsAdminRow;

void          ks_admin_row_init   (KsAdminRow *row, const KsAdminKind *kind);
void          ks_admin_row_clear  (KsAdminRow *row);
KsAdminValue *ks_admin_row_value  (KsAdminRow *row, const char *name);
const KsAdminValue *ks_admin_row_get (const KsAdminRow *row, const char *name);
gint64        ks_admin_row_id     (const KsAdminRow *row);
/* Setters of input values (the text is copied). */
void          ks_admin_row_set_text   (KsAdminRow *row, const char *name, const char *text);
void          ks_admin_row_set_number (KsAdminRow *row, const char *name, gint64 number);
void          ks_admin_row_set_null   (KsAdminRow *row, const char *name);
void          ks_admin_row_set_ids    (KsAdminRow *row, const char *name, GArray *ids);
void          ks_admin_row_set_permissions (KsAdminRow *row, const char *name,
                                            KsPermissionSet permissions);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsAdminRow, ks_admin_row_clear)

/* Rows of a list, freed with the array. */
GArray       *ks_admin_rows_new   (void);

/* What a list shows: the rows of one council (0: all) and, per kind, a page
 * (staff) or the category the rows apply to (templates). */
typedef struct {
  gint64       after_id;     /* cursor: ids greater than this */
  guint        limit;        /* 0: all */
  const char  *search;       /* in name or email, case-insensitive; NULL: all */
  int          active;       /* -1: all */
  gint64       category_id;  /* templates: 0 all, else that category's and those of none */
} KsAdminQuery;

#define KS_ADMIN_QUERY_INIT { .active = -1 }

G_END_DECLS
