/* Encode and decode passage records (see lz_record.h) with jansson; the encoder is used by the
 * indexer, the decoder by the searcher for every hit. */
#include <string.h>

#include <jansson.h>

#include "lz_record.h"

static json_t *list_json(const lzi_strlist *l)
{
    json_t *a = json_array();
    size_t i;
    for (i = 0; a != NULL && i < l->n; i++)
        if (json_array_append_new(a, json_string(l->v[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *string_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

int lzi_record_encode(const lzi_record *rec, lzi_buf *out)
{
    json_t *o = json_object(), *sec = json_array(), *notes = json_array();
    char *s = NULL;
    size_t i;
    int rc, bad = 0;

    if (o == NULL || sec == NULL || notes == NULL) {
        rc = lzi_error_set(LZ_ENOMEM, "out of memory encoding passage record");
        goto done;
    }
    for (i = 0; i < rec->n_section; i++)
        bad |= json_array_append_new(sec, json_string(rec->section[i]));
    for (i = 0; i < rec->n_notes; i++)
        bad |= json_array_append_new(notes, json_pack("{s:I,s:s}", "n",
                                                      (json_int_t)rec->notes[i].n, "text",
                                                      rec->notes[i].text ? rec->notes[i].text : ""));
    bad |= json_object_set_new(o, "doc", json_string(rec->doc));
    bad |= json_object_set_new(o, "path", json_string(rec->path));
    bad |= json_object_set_new(o, "title", json_string(rec->title ? rec->title : ""));
    bad |= json_object_set(o, "section", sec);
    bad |= json_object_set_new(o, "lines", json_pack("[I,I]", (json_int_t)rec->first_line,
                                                     (json_int_t)rec->last_line));
    bad |= json_object_set_new(o, "text", json_string(rec->text));
    bad |= json_object_set(o, "footnotes", notes);
    bad |= json_object_set_new(o, "recommendations", list_json(&rec->recs));
    bad |= json_object_set_new(o, "articles", list_json(&rec->articles));
    bad |= json_object_set_new(o, "paras", list_json(&rec->paras));
    bad |= json_object_set_new(o, "countries", list_json(&rec->countries));
    bad |= json_object_set_new(o, "addressed_to", list_json(&rec->addressed));
    bad |= json_object_set_new(o, "level", string_or_null(rec->level));
    bad |= json_object_set_new(o, "chapter", string_or_null(rec->chapter));
    bad |= json_object_set_new(o, "columns", string_or_null(rec->columns));
    if (bad || (s = json_dumps(o, JSON_COMPACT)) == NULL) {
        /* json_string refuses invalid UTF-8: the indexer repairs text first, so this is a bug
         * or memory exhaustion. */
        rc = lzi_error_set(LZ_ENOMEM, "cannot encode passage record");
        goto done;
    }
    lzi_buf_clear(out);
    rc = lzi_buf_puts(out, s);
done:
    free(s);
    json_decref(sec);
    json_decref(notes);
    json_decref(o);
    return rc;
}

static int list_of(lzi_strlist *l, json_t *a)
{
    size_t i;
    json_t *v;
    if (json_array_size(a) == 0)
        return LZ_OK;
    if ((l->v = lzi_calloc(json_array_size(a), sizeof *l->v)) == NULL)
        return LZ_ENOMEM;
    json_array_foreach(a, i, v) {
        const char *s = json_string_value(v);
        if ((l->v[l->n] = lzi_strdup(s ? s : "")) == NULL)
            return LZ_ENOMEM;
        l->n++;
    }
    return LZ_OK;
}

static int optional_string(char **out, json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (s == NULL)
        return LZ_OK;
    return (*out = lzi_strdup(s)) != NULL ? LZ_OK : LZ_ENOMEM;
}

static void list_dispose(lzi_strlist *l)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        lzi_free(l->v[i]);
    lzi_free(l->v);
}

static char *dup_field(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return lzi_strdup(s ? s : "");
}

int lzi_record_decode(lzi_record *rec, const char *data, size_t len)
{
    json_error_t err;
    json_t *o, *sec, *notes, *v;
    size_t i;
    int rc = LZ_ENOMEM;

    memset(rec, 0, sizeof *rec);
    o = json_loadb(data, len, 0, &err);
    if (o == NULL || !json_is_object(o)) {
        rc = lzi_error_set(LZ_ECORRUPT, "passage record is not valid: %s", err.text);
        goto done;
    }
    rec->doc = dup_field(o, "doc");
    rec->path = dup_field(o, "path");
    rec->title = dup_field(o, "title");
    rec->text = dup_field(o, "text");
    if (!rec->doc || !rec->path || !rec->title || !rec->text)
        goto done;
    v = json_object_get(o, "lines");
    rec->first_line = (unsigned)json_integer_value(json_array_get(v, 0));
    rec->last_line = (unsigned)json_integer_value(json_array_get(v, 1));
    sec = json_object_get(o, "section");
    if (json_array_size(sec) > 0) {
        if ((rec->section = lzi_calloc(json_array_size(sec), sizeof *rec->section)) == NULL)
            goto done;
        json_array_foreach(sec, i, v) {
            const char *s = json_string_value(v);
            if ((rec->section[rec->n_section] = lzi_strdup(s ? s : "")) == NULL)
                goto done;
            rec->n_section++;
        }
    }
    notes = json_object_get(o, "footnotes");
    if (json_array_size(notes) > 0) {
        if ((rec->notes = lzi_calloc(json_array_size(notes), sizeof *rec->notes)) == NULL)
            goto done;
        json_array_foreach(notes, i, v) {
            lzi_record_note *n = &rec->notes[rec->n_notes];
            n->n = (unsigned)json_integer_value(json_object_get(v, "n"));
            if ((n->text = dup_field(v, "text")) == NULL)
                goto done;
            rec->n_notes++;
        }
    }
    if (list_of(&rec->recs, json_object_get(o, "recommendations")) != LZ_OK ||
        list_of(&rec->articles, json_object_get(o, "articles")) != LZ_OK ||
        list_of(&rec->paras, json_object_get(o, "paras")) != LZ_OK ||
        list_of(&rec->countries, json_object_get(o, "countries")) != LZ_OK ||
        list_of(&rec->addressed, json_object_get(o, "addressed_to")) != LZ_OK ||
        optional_string(&rec->level, o, "level") != LZ_OK ||
        optional_string(&rec->chapter, o, "chapter") != LZ_OK ||
        optional_string(&rec->columns, o, "columns") != LZ_OK)
        goto done;
    rc = LZ_OK;
done:
    if (rc == LZ_ENOMEM)
        lzi_error_set(LZ_ENOMEM, "out of memory decoding passage record");
    if (rc != LZ_OK)
        lzi_record_dispose(rec);
    json_decref(o);
    return rc;
}

void lzi_record_dispose(lzi_record *rec)
{
    size_t i;
    lzi_free(rec->doc);
    lzi_free(rec->path);
    lzi_free(rec->title);
    lzi_free(rec->text);
    for (i = 0; i < rec->n_section; i++)
        lzi_free(rec->section[i]);
    lzi_free(rec->section);
    for (i = 0; i < rec->n_notes; i++)
        lzi_free(rec->notes[i].text);
    lzi_free(rec->notes);
    list_dispose(&rec->recs);
    list_dispose(&rec->articles);
    list_dispose(&rec->paras);
    list_dispose(&rec->countries);
    list_dispose(&rec->addressed);
    lzi_free(rec->level);
    lzi_free(rec->chapter);
    lzi_free(rec->columns);
    memset(rec, 0, sizeof *rec);
}
