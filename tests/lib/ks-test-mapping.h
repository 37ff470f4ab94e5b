/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-test-mapping.h: which of this process's memory mappings holds an address,
 * as /proc/self/smaps tells (the heap tests). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether this build allocates with glibc's malloc (not a sanitizer's). */
#if defined (__SANITIZE_ADDRESS__)
#define KS_TEST_OTHER_ALLOCATOR 1
#elif defined (__has_feature)
#if __has_feature (address_sanitizer)
#define KS_TEST_OTHER_ALLOCATOR 1
#endif
#endif

/* The mapping that holds address (fails the test when none does): whether it
 * is the main thread's heap ("[heap]"), and whether it is marked for huge
 * pages ("hg" among its VmFlags). */
void     ks_test_find_mapping      (gconstpointer address,
                                    gboolean     *heap,
                                    gboolean     *huge);
/* NULL when this system gives transparent huge pages on request, or else why
 * a test of them is skipped. */
const char *ks_test_no_huge_pages  (void);

G_END_DECLS
