// The Xapian facade: the only C++ file and the only one that includes <xapian.h>. It gives the C
// code what it needs (open, transactions, passages, metadata, spelling, stems, queries) behind
// backend/lzx.h. Every extern "C" body catches every exception and turns it into an lz_status
// with a message (lzx_fail); strings leave as copies allocated with lzi_malloc.
#include <xapian.h>

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <cassert>
#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <vector>

extern "C" {
#include "lzx.h"
}

struct lzx_stem {
    Xapian::Stem stem;
};

struct lzx_wdb {
    Xapian::WritableDatabase db;
    bool in_txn;
};

struct lzx_doc {
    Xapian::Document doc;
};

struct lzx_db {
    Xapian::Database db;
};

// Who holds the write lock of the index in folder dir: "lock held by PID 1234, lanzsearch; ",
// or "" when that cannot be told. Xapian locks dir/flintlock with an open file description lock, which
// fcntl(F_GETLK) does not attribute to a process (l_pid is -1); Linux lists the lock in
// /proc/PID/fdinfo/FD of the holder's descriptor, so the holder is found by looking there.
// Only ever run to word an error message; any failure just gives "".
static std::string lock_holder(const char *dir)
{
    char real[PATH_MAX];
    std::string found;
    DIR *proc;

    if (dir == nullptr || realpath(dir, real) == nullptr || (proc = opendir("/proc")) == nullptr)
        return found;
    const std::string lockfile = std::string(real) + "/flintlock";
    const std::string self = std::to_string(getpid());
    for (struct dirent *p; found.empty() && (p = readdir(proc)) != nullptr;) {
        if (p->d_name[0] < '0' || p->d_name[0] > '9' || self == p->d_name)
            continue;
        const std::string base = std::string("/proc/") + p->d_name;
        DIR *fds = opendir((base + "/fd").c_str());
        if (fds == nullptr)
            continue;
        for (struct dirent *f; found.empty() && (f = readdir(fds)) != nullptr;) {
            char target[PATH_MAX];
            ssize_t n = readlink((base + "/fd/" + f->d_name).c_str(), target, sizeof target - 1);
            if (n <= 0 || lockfile.compare(0, std::string::npos, target, (size_t)n) != 0)
                continue;
            std::ifstream info(base + "/fdinfo/" + f->d_name);
            std::string line, comm;
            while (std::getline(info, line)) {
                if (line.compare(0, 5, "lock:") == 0) {
                    std::ifstream(base + "/comm") >> comm;
                    found = std::string("lock held by PID ") + p->d_name +
                            (comm.empty() ? "" : ", ") + comm + "; ";
                    break;
                }
            }
        }
        closedir(fds);
    }
    closedir(proc);
    return found;
}

// Only called inside a catch block: rethrows to learn the type; subclasses come first.
static int lzx_fail(const char *ctx)
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        // Xapian raises the lock error both for a lock another writer holds and for a lock
        // file it cannot create (read-only directory): only the first is LZ_ELOCKED.
        if (e.get_msg().find("already locked") != std::string::npos)
            return lzi_error_set(LZ_ELOCKED, "%s: another process is writing to this index "
                                 "(%s%s)", ctx, lock_holder(ctx).c_str(), e.get_msg().c_str());
        return lzi_error_set(LZ_EIO, "%s: cannot lock the index for writing: %s", ctx,
                             e.get_msg().c_str());
    } catch (const Xapian::DatabaseNotFoundError &) {
        return lzi_error_set(LZ_ENOTFOUND, "%s: no index here (run 'lanzsearch index')", ctx);
    } catch (const Xapian::DatabaseVersionError &e) {
        return lzi_error_set(LZ_EVERSION, "%s: unsupported index format: %s", ctx,
                             e.get_msg().c_str());
    } catch (const Xapian::DatabaseCorruptError &e) {
        return lzi_error_set(LZ_ECORRUPT, "%s: index is corrupt: %s", ctx, e.get_msg().c_str());
    } catch (const Xapian::DatabaseOpeningError &e) {
        return lzi_error_set(LZ_EIO, "%s: cannot open index: %s", ctx, e.get_msg().c_str());
    } catch (const Xapian::DatabaseError &e) {
        return lzi_error_set(LZ_EIO, "%s: %s", ctx, e.get_description().c_str());
    } catch (const Xapian::QueryParserError &e) {
        return lzi_error_set(LZ_EQUERY, "%s: %s", ctx, e.get_msg().c_str());
    } catch (const Xapian::InvalidArgumentError &e) {
        return lzi_error_set(LZ_EINVAL, "%s: %s", ctx, e.get_msg().c_str());
    } catch (const Xapian::Error &e) {
        return lzi_error_set(LZ_ERROR, "%s: %s", ctx, e.get_description().c_str());
    } catch (const std::bad_alloc &) {
        return lzi_error_set(LZ_ENOMEM, "%s: out of memory", ctx);
    } catch (...) {
        return lzi_error_set(LZ_ERROR, "%s: unexpected C++ exception", ctx);
    }
}

// A copy of s in memory the C side frees with lzi_free; throws bad_alloc on failure so the
// caller's catch reports it.
static char *copy_out(const std::string &s)
{
    char *p = lzi_strndup(s.data(), s.size());
    if (p == nullptr)
        throw std::bad_alloc();
    return p;
}

extern "C" const char *lzx_version(void)
{
    static const std::string v = std::string("Xapian ") + Xapian::version_string();
    return v.c_str();
}

// --- Stemming ----------------------------------------------------------------------------------

extern "C" int lzx_stem_new(lzx_stem **out, const char *language)
{
    *out = nullptr;
    try {
        *out = new lzx_stem{Xapian::Stem(language)};
        return LZ_OK;
    } catch (...) {
        return lzx_fail(language);
    }
}

extern "C" void lzx_stem_free(lzx_stem *st)
{
    delete st;
}

extern "C" int lzx_stem_apply(lzx_stem *st, const char *word, size_t len, lzi_buf *out)
{
    try {
        std::string s = st->stem(std::string(word, len));
        lzi_buf_clear(out);
        return lzi_buf_append(out, s.data(), s.size());
    } catch (...) {
        return lzx_fail("stemmer");
    }
}

// --- Writing -----------------------------------------------------------------------------------

extern "C" int lzx_wdb_open(lzx_wdb **out, const char *path)
{
    *out = nullptr;
    try {
        // No DB_RETRY_LOCK: a second writer fails at once with the lock error.
        *out = new lzx_wdb{Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN |
                                                              Xapian::DB_BACKEND_GLASS),
                           false};
        return LZ_OK;
    } catch (...) {
        return lzx_fail(path);
    }
}

extern "C" void lzx_wdb_free(lzx_wdb *db)
{
    if (db == nullptr)
        return;
    try {
        // A closed WritableDatabase commits pending changes; an open transaction is cancelled
        // first so an abandoned run leaves the index as it was.
        if (db->in_txn)
            db->db.cancel_transaction();
        db->db.close();
    } catch (...) {
        lzx_fail("closing index");
    }
    delete db;
}

extern "C" int lzx_wdb_begin(lzx_wdb *db)
{
    try {
        db->db.begin_transaction(true);
        db->in_txn = true;
        return LZ_OK;
    } catch (...) {
        return lzx_fail("starting transaction");
    }
}

extern "C" int lzx_wdb_commit(lzx_wdb *db)
{
    try {
        if (db->in_txn) {
            db->in_txn = false;
            db->db.commit_transaction();
        } else {
            db->db.commit();
        }
        return LZ_OK;
    } catch (...) {
        return lzx_fail("committing index");
    }
}

extern "C" int lzx_wdb_get_metadata(lzx_wdb *db, const char *key, char **val, size_t *len)
{
    *val = nullptr;
    try {
        std::string v = db->db.get_metadata(key);
        *val = copy_out(v);
        *len = v.size();
        return LZ_OK;
    } catch (...) {
        return lzx_fail(key);
    }
}

extern "C" int lzx_wdb_set_metadata(lzx_wdb *db, const char *key, const char *val, size_t len)
{
    try {
        db->db.set_metadata(key, std::string(val, len));
        return LZ_OK;
    } catch (...) {
        return lzx_fail(key);
    }
}

extern "C" int lzx_wdb_metadata_keys(lzx_wdb *db, const char *prefix, lzx_key_fn fn,
                                     void *payload)
{
    try {
        // Collect first: the callback may change metadata, which would disturb the iterator.
        std::vector<std::string> keys;
        for (auto it = db->db.metadata_keys_begin(prefix); it != db->db.metadata_keys_end(prefix);
             ++it)
            keys.push_back(*it);
        for (const std::string &k : keys) {
            int rc = fn(payload, k.c_str(), k.size());
            if (rc != 0)
                return rc;
        }
        return LZ_OK;
    } catch (...) {
        return lzx_fail("listing metadata");
    }
}

extern "C" int lzx_wdb_delete(lzx_wdb *db, const char *term)
{
    try {
        db->db.delete_document(term);
        return LZ_OK;
    } catch (...) {
        return lzx_fail("deleting passages");
    }
}

extern "C" int lzx_wdb_add(lzx_wdb *db, lzx_doc *doc)
{
    try {
        db->db.add_document(doc->doc);
        return LZ_OK;
    } catch (...) {
        return lzx_fail("writing passage");
    }
}

extern "C" int lzx_wdb_add_spelling(lzx_wdb *db, const char *word, size_t len, unsigned inc)
{
    try {
        db->db.add_spelling(std::string(word, len), inc);
        return LZ_OK;
    } catch (...) {
        return lzx_fail("adding spelling data");
    }
}

extern "C" int lzx_wdb_add_synonym(lzx_wdb *db, const char *key, const char *synonym)
{
    try {
        db->db.add_synonym(key, synonym);
        return LZ_OK;
    } catch (...) {
        return lzx_fail("adding synonym");
    }
}

extern "C" uint64_t lzx_wdb_doccount(lzx_wdb *db)
{
    try {
        return db->db.get_doccount();
    } catch (...) {
        lzx_fail("counting documents");
        return 0;
    }
}

extern "C" int lzx_doc_new(lzx_doc **out)
{
    *out = nullptr;
    try {
        *out = new lzx_doc;
        return LZ_OK;
    } catch (...) {
        return lzx_fail("new passage");
    }
}

extern "C" void lzx_doc_free(lzx_doc *doc)
{
    delete doc;
}

extern "C" int lzx_doc_posting(lzx_doc *doc, const char *term, size_t len, unsigned pos)
{
    assert(len > 0 && len <= LZX_MAX_TERM_LEN);
    try {
        doc->doc.add_posting(std::string(term, len), pos);
        return LZ_OK;
    } catch (...) {
        return lzx_fail("adding term");
    }
}

extern "C" int lzx_doc_term(lzx_doc *doc, const char *term, size_t len, unsigned wdf)
{
    assert(len > 0 && len <= LZX_MAX_TERM_LEN);
    try {
        doc->doc.add_term(std::string(term, len), wdf);
        return LZ_OK;
    } catch (...) {
        return lzx_fail("adding term");
    }
}

extern "C" int lzx_doc_boolean(lzx_doc *doc, const char *term, size_t len)
{
    assert(len > 0 && len <= LZX_MAX_TERM_LEN);
    try {
        doc->doc.add_boolean_term(std::string(term, len));
        return LZ_OK;
    } catch (...) {
        return lzx_fail("adding filter term");
    }
}

extern "C" int lzx_doc_value(lzx_doc *doc, unsigned slot, const char *bytes, size_t len)
{
    try {
        doc->doc.add_value(slot, std::string(bytes, len));
        return LZ_OK;
    } catch (...) {
        return lzx_fail("adding value");
    }
}

extern "C" int lzx_doc_value_number(lzx_doc *doc, unsigned slot, double value)
{
    try {
        doc->doc.add_value(slot, Xapian::sortable_serialise(value));
        return LZ_OK;
    } catch (...) {
        return lzx_fail("adding value");
    }
}

extern "C" int lzx_doc_data(lzx_doc *doc, const char *bytes, size_t len)
{
    try {
        doc->doc.set_data(std::string(bytes, len));
        return LZ_OK;
    } catch (...) {
        return lzx_fail("setting passage record");
    }
}

// --- Compaction --------------------------------------------------------------------------------

extern "C" int lzx_compact(const char *src, const char *dst)
{
    try {
        // FULL: leave no free space in blocks (xapian-compact's default; FULLER gains nothing
        // measurable here and makes later updates split more blocks). NO_RENUMBER keeps
        // document ids, so nothing that names a passage by its id changes meaning.
        Xapian::Database db(src);
        db.compact(dst, Xapian::Compactor::FULL | Xapian::DBCOMPACT_NO_RENUMBER);
        return LZ_OK;
    } catch (...) {
        return lzx_fail(src);
    }
}

// --- Reading -----------------------------------------------------------------------------------

extern "C" int lzx_db_open(lzx_db **out, const char *path)
{
    *out = nullptr;
    try {
        *out = new lzx_db{Xapian::Database(path)};
        return LZ_OK;
    } catch (...) {
        return lzx_fail(path);
    }
}

extern "C" void lzx_db_free(lzx_db *db)
{
    delete db;
}

extern "C" int lzx_db_reopen(lzx_db *db)
{
    try {
        db->db.reopen();
        return LZ_OK;
    } catch (...) {
        return lzx_fail("reopening index");
    }
}

extern "C" int lzx_db_get_metadata(lzx_db *db, const char *key, char **val, size_t *len)
{
    *val = nullptr;
    for (int attempt = 0;; attempt++) {
        try {
            std::string v = db->db.get_metadata(key);
            *val = copy_out(v);
            *len = v.size();
            return LZ_OK;
        } catch (const Xapian::DatabaseModifiedError &) {
            // A writer committed over the revision we were reading: move on and retry once.
            if (attempt > 0)
                return lzi_error_set(LZ_ERROR, "%s: index changed while reading", key);
            try {
                db->db.reopen();
            } catch (...) {
                return lzx_fail("reopening index");
            }
        } catch (...) {
            return lzx_fail(key);
        }
    }
}

extern "C" int lzx_db_metadata_keys(lzx_db *db, const char *prefix, lzx_key_fn fn,
                                    void *payload)
{
    std::vector<std::string> keys;
    for (int attempt = 0;; attempt++) {
        try {
            keys.clear();
            for (auto it = db->db.metadata_keys_begin(prefix);
                 it != db->db.metadata_keys_end(prefix); ++it)
                keys.push_back(*it);
            break;
        } catch (const Xapian::DatabaseModifiedError &) {
            // A writer committed over the revision we were reading: move on and retry once.
            if (attempt > 0)
                return lzi_error_set(LZ_ERROR, "listing metadata: index changed while reading");
            try {
                db->db.reopen();
            } catch (...) {
                return lzx_fail("reopening index");
            }
        } catch (...) {
            return lzx_fail("listing metadata");
        }
    }
    for (const std::string &k : keys) {
        int rc = fn(payload, k.c_str(), k.size());
        if (rc != 0)
            return rc;
    }
    return LZ_OK;
}

extern "C" uint64_t lzx_db_doccount(lzx_db *db)
{
    try {
        return db->db.get_doccount();
    } catch (...) {
        lzx_fail("counting passages");
        return 0;
    }
}

extern "C" uint64_t lzx_db_termfreq(lzx_db *db, const char *term, size_t len)
{
    try {
        return db->db.get_termfreq(std::string(term, len));
    } catch (...) {
        lzx_fail("term frequency");
        return 0;
    }
}

extern "C" int lzx_db_term_records(lzx_db *db, const char *term, lzx_data_fn fn, void *payload)
{
    try {
        for (auto it = db->db.postlist_begin(term); it != db->db.postlist_end(term); ++it) {
            std::string data = db->db.get_document(*it).get_data();
            int rc = fn(payload, *it, data.data(), data.size());
            if (rc != 0)
                return rc;
        }
        return LZ_OK;
    } catch (...) {
        return lzx_fail(term);
    }
}

extern "C" uint64_t lzx_db_termcount(lzx_db *db)
{
    try {
        uint64_t n = 0;
        for (auto it = db->db.allterms_begin(); it != db->db.allterms_end(); ++it)
            n++;
        return n;
    } catch (...) {
        lzx_fail("counting terms");
        return 0;
    }
}

extern "C" int lzx_db_spelling(lzx_db *db, const char *word, unsigned max_edits, char **out)
{
    *out = nullptr;
    try {
        std::string s = db->db.get_spelling_suggestion(word, max_edits);
        if (!s.empty())
            *out = copy_out(s);
        return LZ_OK;
    } catch (...) {
        return lzx_fail("spelling suggestion");
    }
}

// --- Querying ----------------------------------------------------------------------------------

namespace {

// The query-side stoplist: a sorted array owned by the C caller.
class SortedStopper : public Xapian::Stopper {
  public:
    SortedStopper(const char *const *words, size_t n) : words_(words), n_(n) {}
    bool operator()(const std::string &term) const override
    {
        size_t lo = 0, hi = n_;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = std::strcmp(words_[mid], term.c_str());
            if (c == 0)
                return true;
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return false;
    }

  private:
    const char *const *words_;
    size_t n_;
};

// Counts the values of a slot that holds a '\n'-separated list (a passage can name several
// countries), for facets over every match.
class ListCountSpy : public Xapian::MatchSpy {
  public:
    explicit ListCountSpy(Xapian::valueno slot) : slot_(slot) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        const std::string v = doc.get_value(slot_);
        size_t from = 0;
        while (from < v.size()) {
            size_t to = v.find('\n', from);
            if (to == std::string::npos)
                to = v.size();
            if (to > from)
                counts_[v.substr(from, to - from)]++;
            from = to + 1;
        }
    }
    std::string name() const override { return "lanzsearch.ListCountSpy"; }
    const std::map<std::string, uint64_t> &counts() const { return counts_; }

  private:
    Xapian::valueno slot_;
    std::map<std::string, uint64_t> counts_;
};

// Flags for the researcher's query language (see README, "Query syntax").
const unsigned QP_FLAGS = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                          Xapian::QueryParser::FLAG_LOVEHATE |
                          Xapian::QueryParser::FLAG_WILDCARD;

// Wildcards expanding to more terms than this are refused (the whole corpus has ~20k terms).
const Xapian::termcount MAX_WILDCARD_EXPANSION = 1000;

} // namespace

extern "C" void lzx_mset_free(lzx_mset *m)
{
    if (m == nullptr)
        return;
    for (size_t i = 0; i < m->n; i++) {
        lzi_free(m->matches[i].data);
        for (size_t k = 0; k < m->matches[i].n_explain; k++)
            lzi_free(m->matches[i].explain[k].what);
        lzi_free(m->matches[i].explain);
    }
    lzi_free(m->matches);
    for (size_t i = 0; i < m->n_terms; i++)
        lzi_free(m->terms[i]);
    lzi_free(m->terms);
    for (size_t f = 0; f < m->n_facets; f++) {
        for (size_t i = 0; i < m->facets[f].n; i++)
            lzi_free(m->facets[f].values[i]);
        lzi_free(m->facets[f].values);
        lzi_free(m->facets[f].counts);
    }
    lzi_free(m->facets);
    lzi_free(m->description);
    lzi_free(m);
}

// One additive part of a query's weight, for explanations: a leaf of the OR/AND tree (a term,
// a phrase, a synonym group, a wildcard...) and the factor scaling it.
struct Leaf {
    Xapian::Query q;
    double scale;
    std::string label;
    std::string name;   // shown instead of q's description when not empty
};

// Split q into its additive parts: the weight of OR, AND and AND_MAYBE is the sum of their
// subqueries' weights; of AND_NOT and FILTER, that of their first subquery.
static void add_leaves(std::vector<Leaf> &out, const Xapian::Query &q, double scale,
                       const char *label)
{
    switch (q.get_type()) {
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_AND_MAYBE:
        for (size_t i = 0; i < q.get_num_subqueries(); i++)
            add_leaves(out, q.get_subquery(i), scale, label);
        break;
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_FILTER:
        add_leaves(out, q.get_subquery(0), scale, label);
        break;
    case Xapian::Query::LEAF_MATCH_NOTHING:
        break;
    default:
        out.push_back({q, scale, label, ""});
    }
}

// The weight each leaf gives one passage: the leaf run alone, restricted to the passage by its
// unique term, with the same weighting. The parts add up to the passage's score.
static void explain_match(lzx_db *db, const lzx_query_spec *spec, const Xapian::Document &doc,
                          const std::vector<Leaf> &leaves, lzx_match &x)
{
    auto t = doc.termlist_begin();
    t.skip_to("Q");
    if (t == doc.termlist_end() || (*t)[0] != 'Q' || leaves.empty())
        return;
    Xapian::Query self(*t);
    x.explain = static_cast<lzx_part *>(lzi_calloc(leaves.size(), sizeof *x.explain));
    if (x.explain == nullptr)
        throw std::bad_alloc();
    for (const Leaf &leaf : leaves) {
        Xapian::Enquire e(db->db);
        e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, leaf.q, self));
        e.set_weighting_scheme(Xapian::BM25Weight(spec->k1, 0, 1, spec->b, spec->min_normlen));
        Xapian::MSet one = e.get_mset(0, 1);
        if (one.empty() || one.begin().get_weight() <= 0)
            continue;
        std::string what = leaf.name.empty() ? leaf.q.get_description() : leaf.name;
        if (what.rfind("Query(", 0) == 0 && what.back() == ')')
            what = what.substr(6, what.size() - 7);
        x.explain[x.n_explain].what = copy_out(leaf.label + what);
        x.explain[x.n_explain].weight = one.begin().get_weight() * leaf.scale;
        x.n_explain++;
    }
}

// q OR the alternatives, inside q's filters: "doc:x dual criminality" parses as
// (dual OR criminality) FILTER doc:x, and an alternative must not match outside doc x.
static Xapian::Query with_alternatives(const Xapian::Query &q,
                                       std::vector<Xapian::Query> alternatives)
{
    Xapian::Query::op op = q.get_type();
    if ((op == Xapian::Query::OP_FILTER || op == Xapian::Query::OP_AND_NOT) &&
        q.get_num_subqueries() > 1) {
        std::vector<Xapian::Query> parts;
        parts.push_back(with_alternatives(q.get_subquery(0), alternatives));
        for (size_t i = 1; i < q.get_num_subqueries(); i++)
            parts.push_back(q.get_subquery(i));
        return Xapian::Query(op, parts.begin(), parts.end());
    }
    alternatives.push_back(q);
    return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
}

struct Ranked {
    Xapian::docid did;
    double weight;
};

// The page [offset, offset + limit) of query q plus, when `with_prior`, spec->prior_weight times
// each passage's prior (a value in [0, 1]). The prior is added here rather than run as a
// posting source under AND_MAYBE: Xapian 1.4.22's matcher, given a SYNONYM (what the thesaurus
// adds) beside that posting source, prunes matches it should keep, so the page changed with
// the limit. The best `fetch` matches of q are ranked with their priors; any match not fetched
// weighs at most the last fetched plus the largest prior and, weights equal, comes after every
// fetched match of the last fetched weight (Xapian orders ties by docid). While that bound
// could reach into the page, more are fetched. Spies, when given, see every match once.
static void ranked_page(lzx_db *db, const lzx_query_spec *spec, const Xapian::Query &q,
                        bool with_prior, std::vector<std::unique_ptr<ListCountSpy>> &spies,
                        std::vector<Ranked> &page, Xapian::doccount &estimated)
{
    const Xapian::doccount want = spec->offset + spec->limit;
    const Xapian::valueno slot = static_cast<Xapian::valueno>(spec->prior_slot);
    Xapian::doccount fetch = with_prior ? std::max<Xapian::doccount>(2 * want, want + 20) : 0;
    // Facets count every match, so then every match is examined.
    Xapian::doccount check = spies.empty() ? 0 : db->db.get_doccount();
    double max_prior = 0;
    if (with_prior) {
        std::string hi = db->db.get_value_upper_bound(slot);
        max_prior = hi.empty() ? 0.0 : Xapian::sortable_unserialise(hi);
    }
    for (bool first = true;; first = false) {
        Xapian::Enquire enquire(db->db);
        enquire.set_query(q);
        enquire.set_weighting_scheme(
            Xapian::BM25Weight(spec->k1, 0, 1, spec->b, spec->min_normlen));
        if (first)
            for (auto &spy : spies)
                enquire.add_matchspy(spy.get());
        if (!with_prior) {
            Xapian::MSet mset = enquire.get_mset(spec->offset, spec->limit,
                                                 std::max(check, want));
            estimated = mset.get_matches_estimated();
            for (auto it = mset.begin(); it != mset.end(); ++it)
                page.push_back({*it, it.get_weight()});
            return;
        }
        Xapian::MSet mset = enquire.get_mset(0, fetch, std::max(check, fetch));
        std::vector<Ranked> all;
        all.reserve(mset.size());
        Xapian::docid last_tied = 0;    // largest docid fetched at the last fetched weight
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            std::string v = it.get_document().get_value(slot);
            double prior = v.empty() ? 0.0 : Xapian::sortable_unserialise(v);
            all.push_back({*it, it.get_weight() + spec->prior_weight * prior});
            if (it.get_weight() == mset[mset.size() - 1].get_weight())
                last_tied = std::max(last_tied, *it);
        }
        std::stable_sort(all.begin(), all.end(), [](const Ranked &a, const Ranked &b) {
            return a.weight > b.weight || (a.weight == b.weight && a.did < b.did);
        });
        bool complete = mset.size() < fetch;
        if (!complete && all.size() >= want) {
            double bound = mset[fetch - 1].get_weight() + spec->prior_weight * max_prior;
            const Ranked &edge = all[want - 1];
            complete = edge.weight > bound || (edge.weight == bound && edge.did <= last_tied);
        }
        if (complete) {
            estimated = mset.get_matches_estimated();
            for (Xapian::doccount i = spec->offset; i < want && i < all.size(); i++)
                page.push_back(all[i]);
            return;
        }
        // more, up to every document (then the page is complete), without overflow
        Xapian::doccount all_docs = db->db.get_doccount();
        fetch = fetch > all_docs / 4 ? all_docs + 1 : fetch * 4;
    }
}

// A term without its stem mark and field prefix: "ZXSECoffenc" -> "offenc", "offence" ->
// "offence" (field prefixes are upper case, words lower case).
static std::string bare_term(const std::string &t, const char *field)
{
    size_t at = !t.empty() && t[0] == 'Z' ? 1 : 0;
    size_t n = field != nullptr ? std::strlen(field) : 0;

    if (n > 0 && t.compare(at, n, field) == 0)
        at += n;
    return t.substr(at);
}

// Spelling variants of one word are one word: the searcher writes them as a bracketed OR
// (`(offence OR offense)`), which would give a passage using the rare spelling the rare
// spelling's high weight. Every OR whose alternatives (terms, or synonym groups) each carry
// one of the words of spec->variants becomes an OP_SYNONYM, weighted like a single term with
// the frequencies of all its spellings, as stems are. Other operators are rebuilt around it.
static Xapian::Query merge_variants(const Xapian::Query &q, const SortedStopper &variants,
                                    const char *field)
{
    const Xapian::Query::op t = q.get_type();
    if (t != Xapian::Query::OP_OR && t != Xapian::Query::OP_AND &&
        t != Xapian::Query::OP_AND_NOT && t != Xapian::Query::OP_AND_MAYBE &&
        t != Xapian::Query::OP_FILTER && t != Xapian::Query::OP_XOR)
        return q;
    std::vector<Xapian::Query> subs;
    bool all_variants = t == Xapian::Query::OP_OR && q.get_num_subqueries() > 1;
    for (size_t i = 0; i < q.get_num_subqueries(); i++) {
        const Xapian::Query sub = q.get_subquery(i);
        const Xapian::Query::op st = sub.get_type();
        bool carries = false;
        if (all_variants && (st == Xapian::Query::LEAF_TERM || st == Xapian::Query::OP_SYNONYM))
            for (auto it = sub.get_terms_begin(); !carries && it != sub.get_terms_end(); ++it)
                carries = variants(bare_term(*it, field));
        all_variants = all_variants && carries;
        subs.push_back(merge_variants(sub, variants, field));
    }
    return Xapian::Query(all_variants ? Xapian::Query::OP_SYNONYM : t, subs.begin(), subs.end());
}

// The terms q matches on their own: its leaves outside phrases and NEAR groups, and only the
// first side of AND_NOT and FILTER.
static void free_terms(const Xapian::Query &q, std::set<std::string> &out)
{
    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
        out.insert(*q.get_terms_begin());
        break;
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
        break;
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_FILTER:
        if (q.get_num_subqueries() > 0)
            free_terms(q.get_subquery(0), out);
        break;
    default:
        for (size_t i = 0; i < q.get_num_subqueries(); i++)
            free_terms(q.get_subquery(i), out);
    }
}

// An extra term as a query: the term, AND_NOT the passages holding any of its `unless` terms
// that the query `body` matches on their own (so every passage left out of the term still
// matches the query by that word).
static Xapian::Query extra_query(const lzx_extra_term &x, const std::set<std::string> &body)
{
    Xapian::Query q(x.term);
    std::vector<Xapian::Query> words;
    for (size_t i = 0; i < x.n_unless; i++)
        if (body.count(x.unless[i]) > 0)
            words.emplace_back(x.unless[i]);
    if (words.empty())
        return q;
    return Xapian::Query(Xapian::Query::OP_AND_NOT, q,
                         Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end()));
}

static lzx_mset *run_once(lzx_db *db, const lzx_query_spec *spec)
{
    Xapian::QueryParser qp;
    Xapian::Stem stem("english");
    SortedStopper stopper(spec->stopwords, spec->n_stopwords);

    qp.set_database(db->db);
    qp.set_stemmer(stem);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_stopper(&stopper);
    qp.set_default_op(spec->default_and ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
    qp.set_max_expansion(MAX_WILDCARD_EXPANSION, Xapian::Query::WILDCARD_LIMIT_ERROR);
    for (size_t i = 0; i < spec->n_prefixes; i++) {
        if (spec->prefixes[i].boolean)
            qp.add_boolean_prefix(spec->prefixes[i].field, spec->prefixes[i].prefix);
        else
            qp.add_prefix(spec->prefixes[i].field, spec->prefixes[i].prefix);
    }
    unsigned flags = QP_FLAGS;
    if (spec->flags & LZX_QUERY_SYNONYMS)
        flags |= Xapian::QueryParser::FLAG_SYNONYM | Xapian::QueryParser::FLAG_AUTO_SYNONYMS;
    // The query: what the user typed (body text), or an entity it names (alternatives); then,
    // only ranking what that matched (AND_MAYBE), the same query on the context fields (the
    // headings above each passage, ...) and the passage's prior.
    SortedStopper variants(spec->variants, spec->n_variants);
    Xapian::Query body = merge_variants(qp.parse_query(spec->query, flags), variants, nullptr);
    Xapian::Query query = body;
    std::vector<Xapian::Query> contexts;    // the query run on each context field
    std::set<std::string> body_terms;
    free_terms(body, body_terms);
    // Extra terms: alternatives that match on their own, or rankers of what the query matched.
    std::vector<Xapian::Query> alternatives, rankers;
    for (size_t i = 0; i < spec->n_extra; i++)
        (spec->extra[i].rank_only ? rankers : alternatives)
            .emplace_back(Xapian::Query::OP_SCALE_WEIGHT, extra_query(spec->extra[i], body_terms),
                          spec->extra[i].scale);
    if (!alternatives.empty())
        query = with_alternatives(query, alternatives);
    if (spec->filter != nullptr && spec->filter[0] != '\0')
        query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                              qp.parse_query(spec->filter, QP_FLAGS));
    for (size_t i = 0; i < spec->n_contexts; i++) {
        const char *prefix = spec->contexts[i].prefix;
        contexts.push_back(merge_variants(qp.parse_query(spec->query, flags, prefix), variants,
                                          prefix));
        rankers.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, contexts.back(),
                             spec->contexts[i].weight);
    }
    // The query as run: without the prior, which ranked_page adds.
    Xapian::Query run = query;
    if (!rankers.empty())
        run = Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
                            Xapian::Query(Xapian::Query::OP_OR, rankers.begin(), rankers.end()));
    std::unique_ptr<Xapian::ValueWeightPostingSource> prior;
    if (spec->prior_slot >= 0 && spec->prior_weight > 0) {
        prior.reset(new Xapian::ValueWeightPostingSource(spec->prior_slot));
        rankers.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(prior.get()),
                             spec->prior_weight);
    }
    if (!rankers.empty())
        query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
                              Xapian::Query(Xapian::Query::OP_OR, rankers.begin(), rankers.end()));

    std::vector<Ranked> page;
    Xapian::doccount estimated = 0;
    std::vector<std::unique_ptr<ListCountSpy>> spies;
    for (size_t i = 0; i < spec->n_facet_slots; i++)
        spies.emplace_back(new ListCountSpy(spec->facet_slots[i]));
    ranked_page(db, spec, run, prior != nullptr, spies, page, estimated);

    lzx_mset *m = static_cast<lzx_mset *>(lzi_calloc(1, sizeof *m));
    if (m == nullptr)
        throw std::bad_alloc();
    try {
        m->estimated = estimated;
        m->description = copy_out(query.get_description());
        if (!page.empty()) {
            m->matches = static_cast<lzx_match *>(lzi_calloc(page.size(), sizeof *m->matches));
            if (m->matches == nullptr)
                throw std::bad_alloc();
        }
        std::vector<Leaf> leaves;
        if (spec->explain) {
            add_leaves(leaves, body, 1.0, "");
            for (size_t i = 0; i < spec->n_contexts; i++)
                add_leaves(leaves, contexts[i], spec->contexts[i].weight,
                           spec->contexts[i].label);
            for (size_t i = 0; i < spec->n_extra; i++)
                leaves.push_back({extra_query(spec->extra[i], body_terms), spec->extra[i].scale,
                                  spec->extra[i].label != nullptr ? spec->extra[i].label : "",
                                  spec->extra[i].term});
            if (prior)
                leaves.push_back({Xapian::Query(prior.get()), spec->prior_weight, "prior: ", ""});
        }
        for (const Ranked &hit : page) {
            lzx_match &x = m->matches[m->n];
            Xapian::Document doc = db->db.get_document(hit.did);
            std::string data = doc.get_data();
            x.docid = hit.did;
            x.weight = hit.weight;
            x.data = copy_out(data);
            x.data_len = data.size();
            m->n++;
            if (spec->explain)
                explain_match(db, spec, doc, leaves, x);
        }
        if (!spies.empty()) {
            m->facets = static_cast<lzx_facet *>(lzi_calloc(spies.size(), sizeof *m->facets));
            if (m->facets == nullptr)
                throw std::bad_alloc();
            for (size_t f = 0; f < spies.size(); f++) {
                std::vector<std::pair<std::string, uint64_t>> v(spies[f]->counts().begin(),
                                                                spies[f]->counts().end());
                std::stable_sort(v.begin(), v.end(), [](const auto &a, const auto &b) {
                    return a.second > b.second;
                });
                lzx_facet &fc = m->facets[f];
                fc.slot = spec->facet_slots[f];
                m->n_facets++;
                if (v.empty())
                    continue;
                fc.values = static_cast<char **>(lzi_calloc(v.size(), sizeof *fc.values));
                fc.counts = static_cast<uint64_t *>(lzi_calloc(v.size(), sizeof *fc.counts));
                if (fc.values == nullptr || fc.counts == nullptr)
                    throw std::bad_alloc();
                for (const auto &kv : v) {
                    fc.values[fc.n] = copy_out(kv.first);
                    fc.counts[fc.n++] = kv.second;
                }
            }
        }
        if (spec->want_terms) {
            std::vector<std::string> terms(query.get_unique_terms_begin(),
                                           query.get_unique_terms_end());
            if (!terms.empty()) {
                m->terms = static_cast<char **>(lzi_calloc(terms.size(), sizeof *m->terms));
                if (m->terms == nullptr)
                    throw std::bad_alloc();
                for (const std::string &t : terms)
                    m->terms[m->n_terms++] = copy_out(t);
            }
        }
    } catch (...) {
        lzx_mset_free(m);
        throw;
    }
    return m;
}

extern "C" int lzx_query_run(lzx_db *db, const lzx_query_spec *spec, lzx_mset **out)
{
    *out = nullptr;
    for (int attempt = 0;; attempt++) {
        try {
            *out = run_once(db, spec);
            return LZ_OK;
        } catch (const Xapian::DatabaseModifiedError &) {
            // A commit replaced the revision under us: reopen and retry once.
            if (attempt > 0)
                return lzi_error_set(LZ_ERROR, "query: index changed while searching");
            try {
                db->db.reopen();
            } catch (...) {
                return lzx_fail("reopening index");
            }
        } catch (const Xapian::WildcardError &) {
            return lzi_error_set(LZ_EQUERY, "query: wildcard matches too many terms (limit %u)",
                                 (unsigned)MAX_WILDCARD_EXPANSION);
        } catch (...) {
            return lzx_fail("query");
        }
    }
}

namespace {

// Expand terms for "more like this": the stems of the body's words (each word once: its
// unstemmed term would count it twice), not of stopwords, and the thesaurus' concept and
// related-group terms ("XC" / "XR" + a lower-case id), which name the passage's theme; no
// field, filter or heading terms. On the judged dev queries (a grade-2 passage's similar
// passages against the query's other judged spans, bench/similar.py): words and stems 44 of
// 108 in the top 10, stems only 46, stems and concept terms 55.
class BodyTermDecider : public Xapian::ExpandDecider {
  public:
    explicit BodyTermDecider(const SortedStopper &stop) : stop_(stop) {}
    bool operator()(const std::string &term) const override
    {
        if (term.size() < 2)
            return false;
        if (term[0] == 'Z')
            return !(term[1] >= 'A' && term[1] <= 'Z') && !stop_(term.substr(1));
        return term.size() > 2 && term[0] == 'X' && (term[1] == 'C' || term[1] == 'R') &&
               term[2] >= 'a' && term[2] <= 'z';
    }

  private:
    const SortedStopper &stop_;
};

// Expand terms taken from the passage: enough to describe its theme.
const Xapian::termcount SIMILAR_TERMS = 24;

} // namespace

static lzx_mset *similar_once(lzx_db *db, Xapian::docid did, const lzx_query_spec *spec)
{
    SortedStopper stopper(spec->stopwords, spec->n_stopwords);
    BodyTermDecider decider(stopper);
    Xapian::Enquire enquire(db->db);
    Xapian::RSet rset;
    rset.add_document(did);
    enquire.set_weighting_scheme(Xapian::BM25Weight(spec->k1, 0, 1, spec->b, spec->min_normlen));
    Xapian::ESet eset = enquire.get_eset(SIMILAR_TERMS, rset, &decider);
    std::vector<Xapian::Query> terms;
    for (auto it = eset.begin(); it != eset.end(); ++it)
        terms.emplace_back(*it);
    Xapian::Query query(Xapian::Query::OP_OR, terms.begin(), terms.end());
    enquire.set_query(query);
    // one more than asked: the passage itself is among the best and is dropped
    Xapian::MSet mset = enquire.get_mset(spec->offset, spec->limit + 1);

    lzx_mset *m = static_cast<lzx_mset *>(lzi_calloc(1, sizeof *m));
    if (m == nullptr)
        throw std::bad_alloc();
    try {
        m->estimated = mset.get_matches_estimated() > 0 ? mset.get_matches_estimated() - 1 : 0;
        m->description = copy_out(query.get_description());
        m->matches = static_cast<lzx_match *>(lzi_calloc(mset.size() + 1, sizeof *m->matches));
        if (m->matches == nullptr)
            throw std::bad_alloc();
        for (auto it = mset.begin(); it != mset.end() && m->n < spec->limit; ++it) {
            if (*it == did)
                continue;
            lzx_match &x = m->matches[m->n];
            std::string data = it.get_document().get_data();
            x.docid = *it;
            x.weight = it.get_weight();
            x.data = copy_out(data);
            x.data_len = data.size();
            m->n++;
        }
        if (spec->want_terms && !terms.empty()) {
            m->terms = static_cast<char **>(lzi_calloc(eset.size(), sizeof *m->terms));
            if (m->terms == nullptr)
                throw std::bad_alloc();
            for (auto it = eset.begin(); it != eset.end(); ++it)
                m->terms[m->n_terms++] = copy_out(*it);
        }
    } catch (...) {
        lzx_mset_free(m);
        throw;
    }
    return m;
}

extern "C" int lzx_similar_run(lzx_db *db, uint32_t docid, const lzx_query_spec *spec,
                               lzx_mset **out)
{
    *out = nullptr;
    for (int attempt = 0;; attempt++) {
        try {
            *out = similar_once(db, docid, spec);
            return LZ_OK;
        } catch (const Xapian::DatabaseModifiedError &) {
            if (attempt > 0)
                return lzi_error_set(LZ_ERROR, "similar: index changed while searching");
            try {
                db->db.reopen();
            } catch (...) {
                return lzx_fail("reopening index");
            }
        } catch (...) {
            return lzx_fail("similar");
        }
    }
}
