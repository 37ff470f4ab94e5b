/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sync-page.c: reads a page of GET /api/v1/sync straight from its bytes.
 *
 * A first sync brings tens of megabytes of JSON. Building a json-glib tree of it,
 * then reading the tree and writing each report out again as text, cost most of
 * the sync; this reader makes one pass over the bytes instead: each report's
 * fields go into a KsReport and its JSON text is kept as a span of the answer.
 * It is a strict JSON reader (RFC 8259): anything malformed fails the page. The
 * fields are read as ks_report_apply_json() reads them from a tree. */
#define G_LOG_DOMAIN "ks-sync-page"

#include "ks-sync-page.h"
#include "ks-error.h"
#include "ks-huge-heap.h"
#include "ks-report-private.h"
#include "ks-time.h"

#include <errno.h>
#include <string.h>

#define MAX_DEPTH 64

typedef enum {
  V_NONE,
  V_NULL,
  V_BOOL,
  V_INT,
  V_DOUBLE,
  V_STRING,
  V_OBJECT,
  V_ARRAY,
} ValueType;

typedef struct {
  ValueType   type;
  gboolean    b;
  gint64      i;
  double      d;
  const char *s;        /* V_STRING when kept: the reader's buffer, NUL-terminated */
  gsize       len;
  ValueType   id_type;  /* V_OBJECT when asked: the type of its "id" member */
  gint64      id;
} Value;

/* What to keep of a value. */
enum {
  KEEP_STRING = 1 << 0,   /* unescape a string into the buffer */
  KEEP_ID     = 1 << 1,   /* read the "id" member of an object */
};

typedef struct {
  const char *start;
  const char *p;
  const char *end;
  GString    *buf;        /* the last string kept, unescaped */
  GHashTable *interned;   /* text -> interned string (no global lock per lookup) */
  guint       depth;
  const char *problem;    /* why the page failed, for the debug log */
} Reader;

/* Bytes that end the plain run of a string: '"', '\\', controls, non-ASCII. */
static const guchar string_special[256] = {
  [0x00 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x80 ... 0xff] = 1,
};

static gboolean
fail (Reader     *r,
      const char *problem)
{
  if (r->problem == NULL)
    r->problem = problem;
  return FALSE;
}

static inline void
skip_ws (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
    r->p++;
}

static inline gboolean
expect (Reader *r,
        char    c)
{
  skip_ws (r);
  if (r->p >= r->end || *r->p != c)
    return fail (r, "unexpected character");
  r->p++;
  return TRUE;
}

static int
hex4 (const char *p)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);
      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

/* At the opening quote. With keep, the unescaped text goes into r->buf. */
static gboolean
read_string (Reader   *r,
             gboolean  keep)
{
  const char *p = r->p + 1;
  const char *run = p;
  const char *end = r->end;

  if (keep)
    g_string_truncate (r->buf, 0);
  for (;;)
    {
      guchar c;

      while (p < end && !string_special[(guchar) *p])
        p++;
      if (p >= end)
        return fail (r, "unterminated string");
      c = (guchar) *p;
      if (c == '"')
        {
          if (keep)
            g_string_append_len (r->buf, run, p - run);
          r->p = p + 1;
          return TRUE;
        }
      if (c == '\\')
        {
          gunichar ch;

          if (keep)
            g_string_append_len (r->buf, run, p - run);
          if (++p >= end)
            return fail (r, "unterminated string");
          switch (*p)
            {
            case '"': ch = '"'; p++; break;
            case '\\': ch = '\\'; p++; break;
            case '/': ch = '/'; p++; break;
            case 'b': ch = '\b'; p++; break;
            case 'f': ch = '\f'; p++; break;
            case 'n': ch = '\n'; p++; break;
            case 'r': ch = '\r'; p++; break;
            case 't': ch = '\t'; p++; break;
            case 'u':
              {
                int hi, lo;

                if (end - p < 5 || (hi = hex4 (p + 1)) < 0)
                  return fail (r, "bad \\u escape");
                p += 5;
                ch = (gunichar) hi;
                if (hi >= 0xd800 && hi <= 0xdbff)
                  {
                    if (end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
                        (lo = hex4 (p + 2)) >= 0xdc00 && lo <= 0xdfff)
                      {
                        ch = 0x10000 + (((gunichar) hi - 0xd800) << 10) + ((gunichar) lo - 0xdc00);
                        p += 6;
                      }
                    else
                      ch = 0xfffd;
                  }
                else if (hi >= 0xdc00 && hi <= 0xdfff)
                  ch = 0xfffd;
                break;
              }
            default:
              return fail (r, "bad escape");
            }
          if (keep)
            g_string_append_unichar (r->buf, ch);
          run = p;
          continue;
        }
      if (c < 0x20)
        return fail (r, "control character in a string");
      {
        gunichar u = g_utf8_get_char_validated (p, end - p);
        if (u == (gunichar) -1 || u == (gunichar) -2)
          return fail (r, "invalid UTF-8");
        p = g_utf8_next_char (p);
      }
    }
}

static gboolean
read_number (Reader *r,
             Value  *v)
{
  const char *p = r->p, *s = r->p, *end = r->end;
  gboolean is_int = TRUE;

  if (p < end && *p == '-')
    p++;
  if (p >= end || !g_ascii_isdigit (*p))
    return fail (r, "unexpected character");
  if (*p == '0')
    p++;
  else
    while (p < end && g_ascii_isdigit (*p))
      p++;
  if (p < end && *p == '.')
    {
      is_int = FALSE;
      if (++p >= end || !g_ascii_isdigit (*p))
        return fail (r, "bad number");
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      is_int = FALSE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return fail (r, "bad number");
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  r->p = p;

  if (is_int && p - s <= 18)
    {
      const char *q = s;
      gboolean neg = *q == '-';
      gint64 n = 0;

      if (neg)
        q++;
      for (; q < p; q++)
        n = n * 10 + (*q - '0');
      v->type = V_INT;
      v->i = neg ? -n : n;
      return TRUE;
    }
  else
    {
      g_autofree char *text = g_strndup (s, p - s);

      if (is_int)
        {
          gint64 n;

          errno = 0;
          n = g_ascii_strtoll (text, NULL, 10);
          if (errno == 0)
            {
              v->type = V_INT;
              v->i = n;
              return TRUE;
            }
        }
      v->type = V_DOUBLE;
      v->d = g_ascii_strtod (text, NULL);
      return TRUE;
    }
}

static gboolean read_value (Reader *r, Value *v, guint keep);

static gint64
number_of (const Value *v)
{
  switch (v->type)
    {
    case V_INT: return v->i;
    case V_DOUBLE:
      /* Beyond 64 bits (1e30, or 1e999 read as infinity) the conversion would be
       * undefined: such a number reads as 0, like a null. */
      return (v->d > -9.2e18 && v->d < 9.2e18) ? (gint64) v->d : 0;
    case V_BOOL: return v->b;
    default: return 0;
    }
}

typedef enum {
  ITEM_FAILED,
  ITEM_NEXT,    /* ',': another member or element follows */
  ITEM_LAST,    /* the closing character: the object or array ends */
} ItemEnd;

/* After a member or an element: ',' or close (which undoes the container's
 * depth); anything else fails the page with problem. */
static ItemEnd
item_end (Reader     *r,
          char        close,
          const char *problem)
{
  skip_ws (r);
  if (r->p < r->end && *r->p == ',')
    {
      r->p++;
      return ITEM_NEXT;
    }
  if (r->p < r->end && *r->p == close)
    {
      r->p++;
      r->depth--;
      return ITEM_LAST;
    }
  fail (r, problem);
  return ITEM_FAILED;
}

/* At the opening character of an object or array: ITEM_LAST when it closes
 * at once (empty), ITEM_NEXT when a member or element comes, ITEM_FAILED when
 * nested too deeply. */
static ItemEnd
item_open (Reader *r,
           char    close)
{
  if (++r->depth > MAX_DEPTH)
    {
      fail (r, "too deeply nested");
      return ITEM_FAILED;
    }
  r->p++;
  skip_ws (r);
  if (r->p < r->end && *r->p == close)
    {
      r->p++;
      r->depth--;
      return ITEM_LAST;
    }
  return ITEM_NEXT;
}

/* At '{'. With want_id, v receives the type and value of the "id" member. */
static gboolean
read_object (Reader  *r,
             Value   *v,
             gboolean want_id)
{
  ItemEnd end;

  if ((end = item_open (r, '}')) != ITEM_NEXT)
    return end == ITEM_LAST;
  for (;;)
    {
      Value inner = { 0 };
      gboolean is_id;

      skip_ws (r);
      if (r->p >= r->end || *r->p != '"' || !read_string (r, want_id))
        return fail (r, "expected a member name");
      is_id = want_id && r->buf->len == 2 && memcmp (r->buf->str, "id", 2) == 0;
      if (!expect (r, ':') || !read_value (r, &inner, 0))
        return FALSE;
      if (is_id)
        {
          v->id_type = inner.type;
          v->id = number_of (&inner);
        }
      switch (item_end (r, '}', "expected , or } in an object"))
        {
        case ITEM_NEXT: continue;
        case ITEM_LAST: return TRUE;
        default: return FALSE;
        }
    }
}

static gboolean
read_array (Reader *r)
{
  ItemEnd end;

  if ((end = item_open (r, ']')) != ITEM_NEXT)
    return end == ITEM_LAST;
  for (;;)
    {
      Value inner = { 0 };

      if (!read_value (r, &inner, 0))
        return FALSE;
      switch (item_end (r, ']', "expected , or ] in an array"))
        {
        case ITEM_NEXT: continue;
        case ITEM_LAST: return TRUE;
        default: return FALSE;
        }
    }
}

static gboolean
literal (Reader     *r,
         const char *word,
         gsize       len)
{
  if ((gsize) (r->end - r->p) < len || memcmp (r->p, word, len) != 0)
    return fail (r, "unexpected character");
  r->p += len;
  return TRUE;
}

static gboolean
read_value (Reader *r,
            Value  *v,
            guint   keep)
{
  skip_ws (r);
  if (r->p >= r->end)
    return fail (r, "unexpected end");
  switch (*r->p)
    {
    case '"':
      v->type = V_STRING;
      if (!read_string (r, (keep & KEEP_STRING) != 0))
        return FALSE;
      if (keep & KEEP_STRING)
        {
          v->s = r->buf->str;
          v->len = r->buf->len;
        }
      return TRUE;
    case '{':
      v->type = V_OBJECT;
      v->id_type = V_NONE;
      return read_object (r, v, (keep & KEEP_ID) != 0);
    case '[':
      v->type = V_ARRAY;
      return read_array (r);
    case 't':
      v->type = V_BOOL;
      v->b = TRUE;
      return literal (r, "true", 4);
    case 'f':
      v->type = V_BOOL;
      v->b = FALSE;
      return literal (r, "false", 5);
    case 'n':
      v->type = V_NULL;
      return literal (r, "null", 4);
    default:
      return read_number (r, v);
    }
}

/* "YYYY-MM-DDTHH:MM:SSZ" (what the server sends) without GDateTime; anything else
 * through ks_time_parse_iso(). */
static gboolean
parse_time (const char *s,
            gsize       len,
            gint64     *out)
{
  static const int digits[] = { 0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18 };
  int y, m, d, hh, mm, ss;
  gint64 days, era, yoe, doy, doe;

  if (len != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':' || s[19] != 'Z')
    return ks_time_parse_iso (s, out);
  for (guint i = 0; i < G_N_ELEMENTS (digits); i++)
    if (!g_ascii_isdigit (s[digits[i]]))
      return ks_time_parse_iso (s, out);

#define D2(i) ((s[i] - '0') * 10 + (s[i + 1] - '0'))
  y = D2 (0) * 100 + D2 (2);
  m = D2 (5);
  d = D2 (8);
  hh = D2 (11);
  mm = D2 (14);
  ss = D2 (17);
#undef D2
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > g_date_get_days_in_month (m, y) ||
      hh > 23 || mm > 59 || ss > 59)
    return ks_time_parse_iso (s, out);

  /* Days from 1970-01-01 in the proleptic Gregorian calendar. */
  y -= m <= 2;
  era = y / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  days = era * 146097 + doe - 719468;
  *out = days * 86400 + hh * 3600 + mm * 60 + ss;
  return TRUE;
}

/* An integer member as ks_report_apply_json() reads it: null 0, a time string,
 * a number, or an object's "id". */
static gint64
int_of (const Value *v)
{
  gint64 t = 0;

  switch (v->type)
    {
    case V_STRING:
      return parse_time (v->s, v->len, &t) ? t : 0;
    case V_OBJECT:
      return (v->id_type == V_INT || v->id_type == V_DOUBLE || v->id_type == V_BOOL) ? v->id : 0;
    default:
      return number_of (v);
    }
}

static const char *
intern (Reader     *r,
        const char *s)
{
  const char *v = g_hash_table_lookup (r->interned, s);

  if (v == NULL)
    {
      v = g_intern_string (s);
      g_hash_table_add (r->interned, (gpointer) v);
    }
  return v;
}

typedef enum {
  F_OTHER,
  F_ID,
  F_TITLE,
  F_CATEGORY,
  F_CATEGORY_ID,
  F_GROUP,
  F_STATE,
  F_PRIORITY_ID,
  F_LAT,
  F_LON,
  F_WARD,
  F_CREATED,
  F_UPDATED,
  F_VERSION,
  F_ACKNOWLEDGED,
  F_SHORTLIST_USER,
  F_DUPLICATE_OF,
  F_DETAIL,
  F_HAS_PHOTO,
  F_SEQ,
  F_ATTRIBUTES,
} Field;

static Field
field_for_key (const char *k,
               gsize       len)
{
#define IS(word) (len == sizeof word - 1 && memcmp (k, word, len) == 0)
  switch (len)
    {
    case 2: return IS ("id") ? F_ID : F_OTHER;
    case 3: return IS ("lat") ? F_LAT : IS ("lon") ? F_LON : IS ("seq") ? F_SEQ : F_OTHER;
    case 4: return IS ("ward") ? F_WARD : F_OTHER;
    case 5: return IS ("title") ? F_TITLE : IS ("group") ? F_GROUP : IS ("state") ? F_STATE : F_OTHER;
    case 6: return IS ("detail") ? F_DETAIL : F_OTHER;
    case 7: return IS ("created") ? F_CREATED : IS ("updated") ? F_UPDATED :
                   IS ("version") ? F_VERSION : F_OTHER;
    case 8: return IS ("category") ? F_CATEGORY : F_OTHER;
    case 9: return IS ("has_photo") ? F_HAS_PHOTO : F_OTHER;
    case 10: return IS ("attributes") ? F_ATTRIBUTES : F_OTHER;
    case 11: return IS ("category_id") ? F_CATEGORY_ID : IS ("priority_id") ? F_PRIORITY_ID : F_OTHER;
    case 12: return IS ("acknowledged") ? F_ACKNOWLEDGED : IS ("duplicate_of") ? F_DUPLICATE_OF : F_OTHER;
    case 14: return IS ("shortlist_user") ? F_SHORTLIST_USER : F_OTHER;
    default: return F_OTHER;
    }
#undef IS
}

static guint
keep_for (Field f)
{
  switch (f)
    {
    case F_OTHER:
    case F_LAT:
    case F_LON:
    case F_HAS_PHOTO:
    case F_ATTRIBUTES:
      return 0;
    case F_TITLE:
    case F_CATEGORY:
    case F_GROUP:
    case F_STATE:
    case F_WARD:
    case F_DETAIL:
      return KEEP_STRING;
    default:
      return KEEP_STRING | KEEP_ID;
    }
}

static void
apply_field (Reader   *r,
             KsReport *report,
             Field     f,
             Value    *v)
{
  const char *text = v->type == V_STRING ? v->s : "";

  switch (f)
    {
    case F_OTHER: break;
    case F_ID: report->id = int_of (v); break;
    case F_TITLE: ks_report_set_title_take (report, g_strdup (text)); break;
    case F_DETAIL: ks_report_set_detail_take (report, g_strdup (text)); break;
    case F_CATEGORY: report->category = intern (r, text); break;
    case F_GROUP: report->group = intern (r, text); break;
    case F_STATE: report->state = intern (r, text); break;
    case F_WARD: report->ward = intern (r, text); break;
    case F_CATEGORY_ID: report->category_id = int_of (v); break;
    case F_PRIORITY_ID: report->priority_id = int_of (v); break;
    case F_CREATED: report->created = int_of (v); break;
    case F_UPDATED: report->updated = int_of (v); break;
    case F_VERSION: report->version = int_of (v); break;
    case F_ACKNOWLEDGED: report->acknowledged = int_of (v); break;
    case F_SHORTLIST_USER: report->shortlist_user = int_of (v); break;
    case F_DUPLICATE_OF: report->duplicate_of = int_of (v); break;
    case F_SEQ:
      {
        gint64 seq = int_of (v);
        if (seq != 0)
          report->seq = seq;
        break;
      }
    case F_LAT:
    case F_LON:
      {
        double *field = f == F_LAT ? &report->lat : &report->lon;

        if (v->type == V_INT)
          *field = (double) v->i;
        else if (v->type == V_DOUBLE)
          *field = v->d;
        else if (v->type == V_BOOL)
          *field = v->b;
        else if (v->type == V_STRING)
          *field = 0;
        break;
      }
    case F_HAS_PHOTO:
      if (v->type == V_BOOL)
        report->has_photo = v->b;
      else if (v->type == V_INT)
        report->has_photo = v->i != 0;
      else if (v->type == V_DOUBLE)
        report->has_photo = v->d != 0;
      else if (v->type == V_STRING)
        report->has_photo = FALSE;
      break;
    default:
      break;
    }
}

/* One {"code": ..., "value": ...} of the answers, added to pairs when its code
 * is a string and its value a string or an integer (the last of a member
 * given twice counts), as ks_report_answers_from_json() reads them. */
static gboolean
read_answer (Reader    *r,
             GPtrArray *pairs)
{
  ItemEnd end;
  g_autofree char *code = NULL;
  g_autofree char *value = NULL;

  if ((end = item_open (r, '}')) != ITEM_NEXT)
    return end == ITEM_LAST;
  for (;;)
    {
      Value v = { 0 };
      gboolean is_code, is_value;

      skip_ws (r);
      if (r->p >= r->end || *r->p != '"' || !read_string (r, TRUE))
        return fail (r, "expected a member name");
      is_code = r->buf->len == 4 && memcmp (r->buf->str, "code", 4) == 0;
      is_value = r->buf->len == 5 && memcmp (r->buf->str, "value", 5) == 0;
      if (!expect (r, ':') || !read_value (r, &v, (is_code || is_value) ? KEEP_STRING : 0))
        return FALSE;
      if (is_code)
        {
          g_free (code);
          code = v.type == V_STRING ? g_strdup (v.s) : NULL;
        }
      else if (is_value)
        {
          g_free (value);
          value = v.type == V_STRING ? g_strdup (v.s)
                  : v.type == V_INT ? g_strdup_printf ("%" G_GINT64_FORMAT, v.i)
                  : NULL;
        }
      if ((end = item_end (r, '}', "expected , or } in an answer")) == ITEM_FAILED)
        return FALSE;
      if (end == ITEM_LAST)
        break;
    }
  ks_report_answers_add (pairs, code, value);
  return TRUE;
}

/* At '[' of a report's "attributes": its answers, read in place (a tree per
 * report cost a tenth of a first sync's reading). Elements other than
 * objects are passed over. */
static gboolean
read_answers (Reader  *r,
              char  ***out)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  ItemEnd end;

  if ((end = item_open (r, ']')) == ITEM_FAILED)
    return FALSE;
  if (end == ITEM_NEXT)
    for (;;)
      {
        Value v = { 0 };

        skip_ws (r);
        if (r->p < r->end && *r->p == '{')
          {
            if (!read_answer (r, pairs))
              return FALSE;
          }
        else if (!read_value (r, &v, 0))
          return FALSE;
        if ((end = item_end (r, ']', "expected , or ] in an array")) == ITEM_FAILED)
          return FALSE;
        if (end == ITEM_LAST)
          break;
      }
  *out = ks_report_answers_end (g_steal_pointer (&pairs));
  return TRUE;
}

/* At '{' of a report: adds it to the page (reports without an id are skipped,
 * as a tree reader skips them). */
static gboolean
read_report (Reader     *r,
             KsSyncPage *page)
{
  ItemEnd end;
  g_autoptr(KsReport) report = ks_report_new_empty (0);
  const char *start = r->p;
  KsSyncSpan span;

  if ((end = item_open (r, '}')) != ITEM_NEXT)
    return end == ITEM_LAST;
  for (;;)
    {
      Value v = { 0 };
      Field f;

      skip_ws (r);
      if (r->p >= r->end || *r->p != '"' || !read_string (r, TRUE))
        return fail (r, "expected a member name");
      f = field_for_key (r->buf->str, r->buf->len);
      if (!expect (r, ':'))
        return FALSE;
      skip_ws (r);
      if (f == F_ATTRIBUTES && r->p < r->end && *r->p == '[')
        {
          char **answers = NULL;

          if (!read_answers (r, &answers))
            return FALSE;
          ks_report_set_answers_take (report, answers);
        }
      else if (!read_value (r, &v, keep_for (f)))
        return FALSE;
      else if (f == F_ATTRIBUTES && v.type == V_NULL)
        ks_report_set_answers_take (report, NULL);
      else
        apply_field (r, report, f, &v);
      if ((end = item_end (r, '}', "expected , or } in a report")) == ITEM_FAILED)
        return FALSE;
      if (end == ITEM_LAST)
        break;
    }

  if (report->id <= 0)
    return TRUE;
  ks_report_prepare_search (report);
  ks_huge_heap_follow (report->title);
  page->seq = MAX (page->seq, report->seq);
  span.offset = start - r->start;
  span.length = r->p - start;
  g_array_append_val (page->spans, span);
  g_ptr_array_add (page->reports, g_steal_pointer (&report));
  return TRUE;
}

/* At '{' of a tombstone object: {"id" or "report_id", "seq"}. */
static gboolean
read_tombstone (Reader     *r,
                KsSyncPage *page)
{
  ItemEnd end;
  gint64 id = 0, report_id = 0;
  gboolean has_id = FALSE;

  if ((end = item_open (r, '}')) != ITEM_NEXT)
    return end == ITEM_LAST;
  for (;;)
    {
      Value v = { 0 };
      Field f;
      gboolean is_report_id;

      skip_ws (r);
      if (r->p >= r->end || *r->p != '"' || !read_string (r, TRUE))
        return fail (r, "expected a member name");
      f = field_for_key (r->buf->str, r->buf->len);
      is_report_id = r->buf->len == 9 && memcmp (r->buf->str, "report_id", 9) == 0;
      if (!expect (r, ':') || !read_value (r, &v, 0))
        return FALSE;
      if (f == F_ID && v.type != V_NULL && v.type != V_OBJECT && v.type != V_ARRAY)
        {
          has_id = TRUE;
          id = v.type == V_STRING ? 0 : number_of (&v);
        }
      else if (is_report_id)
        report_id = v.type == V_STRING ? 0 : number_of (&v);
      else if (f == F_SEQ)
        page->seq = MAX (page->seq, number_of (&v));
      if ((end = item_end (r, '}', "expected , or } in a tombstone")) == ITEM_FAILED)
        return FALSE;
      if (end == ITEM_LAST)
        break;
    }
  if (!has_id)
    id = report_id;
  if (id > 0)
    g_array_append_val (page->tombstones, id);
  return TRUE;
}

/* At '[': calls each for objects, skips other elements. */
static gboolean
read_list (Reader     *r,
           KsSyncPage *page,
           gboolean    reports)
{
  ItemEnd end;

  if ((end = item_open (r, ']')) != ITEM_NEXT)
    return end == ITEM_LAST;
  for (;;)
    {
      skip_ws (r);
      if (r->p < r->end && *r->p == '{')
        {
          if (!(reports ? read_report (r, page) : read_tombstone (r, page)))
            return FALSE;
        }
      else
        {
          Value v = { 0 };

          if (!read_value (r, &v, 0))
            return FALSE;
          if (!reports && (v.type == V_INT || v.type == V_DOUBLE || v.type == V_BOOL))
            {
              gint64 id = number_of (&v);
              if (id > 0)
                g_array_append_val (page->tombstones, id);
            }
        }
      switch (item_end (r, ']', "expected , or ] in a list"))
        {
        case ITEM_NEXT: continue;
        case ITEM_LAST: return TRUE;
        default: return FALSE;
        }
    }
}

static gboolean
read_page (Reader     *r,
           KsSyncPage *page)
{
  ItemEnd end;
  gint64 seq = 0, next_since = 0;
  gboolean has_seq = FALSE;

  if (!expect (r, '{'))
    return FALSE;
  r->depth = 1;
  skip_ws (r);
  if (r->p < r->end && *r->p == '}')
    r->p++;
  else
    for (;;)
      {
        g_autofree char *key = NULL;
        Value v = { 0 };

        skip_ws (r);
        if (r->p >= r->end || *r->p != '"' || !read_string (r, TRUE))
          return fail (r, "expected a member name");
        key = g_strndup (r->buf->str, r->buf->len);
        if (!expect (r, ':'))
          return FALSE;
        skip_ws (r);
        if ((strcmp (key, "reports") == 0 || strcmp (key, "tombstones") == 0) &&
            r->p < r->end && *r->p == '[')
          {
            if (!read_list (r, page, key[0] == 'r'))
              return FALSE;
          }
        else
          {
            if (!read_value (r, &v, KEEP_STRING))
              return FALSE;
            if (strcmp (key, "seq") == 0 && v.type != V_NULL)
              {
                has_seq = TRUE;
                seq = v.type == V_STRING ? 0 : number_of (&v);
              }
            else if (strcmp (key, "next_since") == 0)
              next_since = v.type == V_STRING ? 0 : number_of (&v);
            else if (strcmp (key, "more") == 0)
              page->more = page->more || ((v.type == V_BOOL || v.type == V_INT) && number_of (&v) != 0);
            else if (strcmp (key, "next_cursor") == 0)
              {
                g_clear_pointer (&page->next_cursor, g_free);
                if (v.type == V_STRING)
                  page->next_cursor = g_strndup (v.s, v.len);
              }
            else if (strcmp (key, "remaining") == 0)
              page->remaining = v.type == V_STRING ? 0 : MAX (number_of (&v), 0);
            else if (strcmp (key, "total") == 0)
              page->total = v.type == V_STRING ? 0 : MAX (number_of (&v), 0);
          }
        if ((end = item_end (r, '}', "expected , or } in the page")) == ITEM_FAILED)
          return FALSE;
        if (end == ITEM_LAST)
          break;
      }
  skip_ws (r);
  if (r->p != r->end)
    return fail (r, "text after the page");

  page->seq = MAX (page->seq, has_seq ? seq : next_since);
  if (page->next_cursor != NULL)
    page->more = TRUE;
  return TRUE;
}

gboolean
ks_sync_page_peek_next (GBytes *bytes,
                        gint64 *seq)
{
  static const char tail[] = ",\"more\":true}";
  static const char key[] = "\"seq\":";
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  const char *end = data + size, *digits;
  gint64 n = 0;

  while (end > data && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\r' || end[-1] == '\t'))
    end--;
  if ((gsize) (end - data) < sizeof tail - 1 || memcmp (end - (sizeof tail - 1), tail, sizeof tail - 1) != 0)
    return FALSE;
  end -= sizeof tail - 1;
  digits = end;
  while (digits > data && g_ascii_isdigit (digits[-1]) && end - digits < 18)
    digits--;
  if (digits == end || (digits > data && g_ascii_isdigit (digits[-1])) ||
      (gsize) (digits - data) < sizeof key || memcmp (digits - (sizeof key - 1), key, sizeof key - 1) != 0 ||
      (digits[-(int) sizeof key] != ',' && digits[-(int) sizeof key] != '{'))
    return FALSE;
  for (const char *p = digits; p < end; p++)
    n = n * 10 + (*p - '0');
  *seq = n;
  return TRUE;
}

KsSyncPage *
ks_sync_page_parse (GBytes  *bytes,
                    GError **error)
{
  g_autoptr(KsSyncPage) page = g_new0 (KsSyncPage, 1);
  g_autoptr(GHashTable) interned = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) buf = g_string_sized_new (1024);
  gsize size = 0;
  const char *data;
  Reader r = { 0 };

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  page->bytes = g_bytes_ref (bytes);
  page->reports = g_ptr_array_new_with_free_func (g_object_unref);
  page->spans = g_array_new (FALSE, FALSE, sizeof (KsSyncSpan));
  page->tombstones = g_array_new (FALSE, FALSE, sizeof (gint64));
  page->remaining = -1;
  page->total = -1;

  r.start = r.p = data ? data : "";
  r.end = r.start + size;
  r.buf = buf;
  r.interned = interned;
  if (!read_page (&r, page))
    {
      g_debug ("sync page: %s at byte %" G_GSIZE_FORMAT, r.problem ? r.problem : "malformed",
               (gsize) (r.p - r.start));
      g_set_error_literal (error, KS_ERROR, KS_ERROR_FAILED,
                           "The server sent a sync answer the app cannot read. "
                           "Update the app, or tell your administrator.");
      return NULL;
    }
  return g_steal_pointer (&page);
}

void
ks_sync_page_free (KsSyncPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->bytes, g_bytes_unref);
  g_clear_pointer (&page->reports, g_ptr_array_unref);
  g_clear_pointer (&page->spans, g_array_unref);
  g_clear_pointer (&page->tombstones, g_array_unref);
  g_free (page->next_cursor);
  g_free (page);
}

const char *
ks_sync_page_get_text (KsSyncPage *page,
                       guint       i,
                       gsize      *length)
{
  const KsSyncSpan *span;

  g_return_val_if_fail (page != NULL && i < page->spans->len, NULL);

  span = &g_array_index (page->spans, KsSyncSpan, i);
  *length = span->length;
  return (const char *) g_bytes_get_data (page->bytes, NULL) + span->offset;
}
