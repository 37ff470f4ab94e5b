/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-xml-writer.h: a small streaming XML writer over a GString.
 *
 * Writes UTF-8 documents that start with the XML declaration. Text is always
 * escaped, so no markup can come from data; characters that XML 1.0 does not
 * allow (most control characters, invalid UTF-8) are dropped or replaced. No
 * indentation: the answers are for machines. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KS_XML_WRITER_MAX_DEPTH 16

typedef struct {
  GString    *str;
  guint       depth;
  const char *open[KS_XML_WRITER_MAX_DEPTH]; /* element names: static strings */
} KsXmlWriter;

/* Starts a document on str (appends the XML declaration). */
void ks_xml_writer_init        (KsXmlWriter *w, GString *str);
/* Opens an element; name must outlive the writer (a string literal). */
void ks_xml_writer_begin       (KsXmlWriter *w, const char *name);
/* Closes the innermost open element. */
void ks_xml_writer_end         (KsXmlWriter *w);
/* <name>escaped text</name>; NULL or "" writes <name/>. */
void ks_xml_writer_element     (KsXmlWriter *w, const char *name, const char *text);
void ks_xml_writer_element_len (KsXmlWriter *w, const char *name, const char *text, gssize len);
void ks_xml_writer_element_int (KsXmlWriter *w, const char *name, gint64 value);
/* A decimal number with up to 7 places (about 1 cm for coordinates). */
void ks_xml_writer_element_double (KsXmlWriter *w, const char *name, double value);
void ks_xml_writer_element_bool (KsXmlWriter *w, const char *name, gboolean value);
/* A W3C timestamp in UTC ("2026-11-22T09:30:00Z"); 0 writes an empty element. */
void ks_xml_writer_element_timestamp (KsXmlWriter *w, const char *name, gint64 unix_seconds);

/* Appends text to str escaped for XML content and attribute values. */
void ks_xml_escape_append (GString *str, const char *text, gssize len);
/* Appends a fixed-point decimal (up to 7 places, trailing zeros dropped). */
void ks_xml_append_double (GString *str, double value);
void ks_xml_append_int    (GString *str, gint64 value);

G_END_DECLS
