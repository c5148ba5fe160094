#include "core/storage/SearchTokenizer.h"

#include <QSqlDriver>
#include <QVariant>

#include <libstemmer.h>
#include <sqlite3.h>

#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

constexpr char tagMark = '\x01';
// Language codes are short; a longer "tag" is text that happens to start with \x01.
constexpr int maxTagLength = 16;

/// Decodes one UTF-8 sequence at @p p (FTS5 hands valid UTF-8); returns its length in bytes.
int decodeUtf8(const unsigned char *p, int available, char32_t &out)
{
    const unsigned char lead = p[0];
    int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
    if (length > available)
        length = 1;
    char32_t c = length == 1 ? lead : lead & (0x3F >> (length - 1));
    for (int i = 1; i < length; ++i)
        c = (c << 6) | (p[i] & 0x3F);
    out = c;
    return length;
}

struct Tokenizer {
    fts5_tokenizer parent{};
    Fts5Tokenizer *parentInstance = nullptr;
    // One stemmer per language seen on this connection; a null entry remembers that libstemmer
    // has no algorithm for that code. A tokenizer instance belongs to one connection, which one
    // thread at a time uses, so the unsynchronised cache is safe (libstemmer is not thread-safe).
    std::map<std::string, sb_stemmer *, std::less<>> stemmers;

    ~Tokenizer()
    {
        for (auto &[language, stemmer] : stemmers) {
            if (stemmer)
                sb_stemmer_delete(stemmer);
        }
        if (parentInstance)
            parent.xDelete(parentInstance);
    }

    sb_stemmer *stemmerFor(std::string_view language)
    {
        if (language.empty())
            return nullptr;
        if (auto found = stemmers.find(language); found != stemmers.end())
            return found->second;
        const std::string code(language);
        sb_stemmer *stemmer = sb_stemmer_new(code.c_str(), "UTF_8");
        stemmers.emplace(code, stemmer);
        return stemmer;
    }
};

struct TokenizeCall {
    Tokenizer *tokenizer = nullptr;
    sb_stemmer *stemmer = nullptr;
    int flags = 0;
    int tagLength = 0;
    const char *text = nullptr; ///< the untagged text unicode61 sees
    void *context = nullptr;
    int (*emit)(void *, int, const char *, int, int, int) = nullptr;
};

int emitWord(TokenizeCall &call, int tokenFlags, const char *token, int length, int start, int end)
{
    const bool prefixQuery = (call.flags & FTS5_TOKENIZE_PREFIX) != 0;
    const bool query = (call.flags & FTS5_TOKENIZE_QUERY) != 0;
    if (!call.stemmer || prefixQuery)
        return call.emit(call.context, tokenFlags, token, length, start, end);
    const sb_symbol *stem = sb_stemmer_stem(call.stemmer, reinterpret_cast<const sb_symbol *>(token), length);
    const int stemLength = stem ? sb_stemmer_length(call.stemmer) : 0;
    const bool differs = stem && (stemLength != length || std::memcmp(stem, token, size_t(length)) != 0);
    if (!differs)
        return call.emit(call.context, tokenFlags, token, length, start, end);
    const auto *stemText = reinterpret_cast<const char *>(stem);
    // A query looks up the stem only; a document carries the word and its stem at one position.
    if (query)
        return call.emit(call.context, tokenFlags, stemText, stemLength, start, end);
    if (int rc = call.emit(call.context, tokenFlags, token, length, start, end); rc != SQLITE_OK)
        return rc;
    return call.emit(call.context, FTS5_TOKEN_COLOCATED, stemText, stemLength, start, end);
}

/// Called by unicode61 for each folded token. Offsets are into the untagged text.
int onParentToken(void *context, int tokenFlags, const char *token, int length, int start, int end)
{
    auto &call = *static_cast<TokenizeCall *>(context);
    const int shift = call.tagLength;
    const auto *bytes = reinterpret_cast<const unsigned char *>(token);

    bool hasCjk = false;
    for (int i = 0; i < length && !hasCjk;) {
        char32_t c = 0;
        i += decodeUtf8(bytes + i, length - i, c);
        hasCjk = SearchTokenizer::isCjk(c);
    }
    if (!hasCjk)
        return emitWord(call, tokenFlags, token, length, start + shift, end + shift);

    // Split by the original text, whose byte offsets are exact: each CJK character becomes a
    // token of its own, and a run of other letters inside the token ("Qt5の") stays one word.
    // unicode61 leaves CJK characters unchanged, so their original bytes are their folded form.
    const auto *original = reinterpret_cast<const unsigned char *>(call.text);
    std::string run;
    int runStart = -1;
    auto flushRun = [&](int runEnd) -> int {
        if (runStart < 0)
            return SQLITE_OK;
        const int rc = emitWord(call, 0, run.data(), int(run.size()), runStart + shift, runEnd + shift);
        run.clear();
        runStart = -1;
        return rc;
    };
    for (int i = start; i < end;) {
        char32_t c = 0;
        const int width = decodeUtf8(original + i, end - i, c);
        if (SearchTokenizer::isCjk(c)) {
            if (int rc = flushRun(i); rc != SQLITE_OK)
                return rc;
            if (int rc = call.emit(call.context, 0, call.text + i, width, i + shift, i + width + shift); rc != SQLITE_OK)
                return rc;
        } else {
            if (runStart < 0)
                runStart = i;
            // Mixed tokens are rare; ASCII folding is what unicode61 would have done to them.
            for (int k = 0; k < width; ++k) {
                const char byte = call.text[i + k];
                run.push_back(byte >= 'A' && byte <= 'Z' ? char(byte - 'A' + 'a') : byte);
            }
        }
        i += width;
    }
    return flushRun(end);
}

int createTokenizer(void *apiPointer, const char **arguments, int argumentCount, Fts5Tokenizer **out)
{
    auto *api = static_cast<fts5_api *>(apiPointer);
    auto tokenizer = std::make_unique<Tokenizer>();
    void *parentContext = nullptr;
    if (int rc = api->xFindTokenizer(api, "unicode61", &parentContext, &tokenizer->parent); rc != SQLITE_OK)
        return rc;
    // Arguments given in the table definition go to unicode61 after ours, so they can override.
    std::vector<const char *> parentArguments{"remove_diacritics", "2"};
    parentArguments.insert(parentArguments.end(), arguments, arguments + argumentCount);
    if (int rc = tokenizer->parent.xCreate(parentContext, parentArguments.data(), int(parentArguments.size()),
                                           &tokenizer->parentInstance);
        rc != SQLITE_OK)
        return rc;
    *out = reinterpret_cast<Fts5Tokenizer *>(tokenizer.release());
    return SQLITE_OK;
}

void deleteTokenizer(Fts5Tokenizer *instance)
{
    delete reinterpret_cast<Tokenizer *>(instance);
}

int tokenize(Fts5Tokenizer *instance, void *context, int flags, const char *text, int length,
             int (*emit)(void *, int, const char *, int, int, int))
{
    auto *tokenizer = reinterpret_cast<Tokenizer *>(instance);
    TokenizeCall call;
    call.tokenizer = tokenizer;
    call.flags = flags;
    call.context = context;
    call.emit = emit;
    if (length > 1 && text[0] == tagMark) {
        for (int i = 1; i < length && i <= maxTagLength; ++i) {
            if (text[i] == tagMark) {
                call.stemmer = tokenizer->stemmerFor(std::string_view(text + 1, size_t(i - 1)));
                call.tagLength = i + 1;
                break;
            }
        }
    }
    call.text = text + call.tagLength;
    return tokenizer->parent.xTokenize(tokenizer->parentInstance, &call, flags, call.text, length - call.tagLength,
                                       onParentToken);
}

fts5_api *fts5Api(sqlite3 *connection)
{
    fts5_api *api = nullptr;
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(connection, "SELECT fts5(?1)", -1, &statement, nullptr) != SQLITE_OK)
        return nullptr;
    sqlite3_bind_pointer(statement, 1, static_cast<void *>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(statement);
    sqlite3_finalize(statement);
    return api;
}

} // namespace

Result<void> SearchTokenizer::install(QSqlDatabase &db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    sqlite3 *connection = handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0
                              ? *static_cast<sqlite3 *const *>(handle.data())
                              : nullptr;
    if (!connection) {
        return fail(Error::Kind::Database, u"The search index needs the SQLite driver, which did not load."_s,
                    db.databaseName());
    }
    fts5_api *api = fts5Api(connection);
    if (!api) {
        return fail(Error::Kind::Database, u"This SQLite library was built without full-text search (FTS5)."_s,
                    db.databaseName());
    }
    fts5_tokenizer methods{createTokenizer, deleteTokenizer, tokenize};
    if (api->xCreateTokenizer(api, name, api, &methods, nullptr) != SQLITE_OK) {
        return fail(Error::Kind::Database, u"Could not set up the search tokenizer."_s,
                    QString::fromUtf8(sqlite3_errmsg(connection)));
    }
    return {};
}

bool SearchTokenizer::isCjk(char32_t c)
{
    return (c >= 0x3040 && c <= 0x30FF)      // Hiragana, Katakana
           || (c >= 0x31F0 && c <= 0x31FF)   // Katakana phonetic extensions
           || (c >= 0x3400 && c <= 0x4DBF)   // CJK extension A
           || (c >= 0x4E00 && c <= 0x9FFF)   // CJK unified ideographs
           || (c >= 0xAC00 && c <= 0xD7AF)   // Hangul syllables
           || (c >= 0xF900 && c <= 0xFAFF)   // CJK compatibility ideographs
           || (c >= 0xFF66 && c <= 0xFF9F)   // half-width Katakana
           || (c >= 0x20000 && c <= 0x3134F); // CJK extensions B to G
}

QString SearchTokenizer::tagged(const QString &language, const QString &text)
{
    return QChar(u'\x01') + language + QChar(u'\x01') + text;
}

QString SearchTokenizer::untagged(const QString &text)
{
    if (!text.startsWith(QChar(u'\x01')))
        return text;
    const qsizetype end = text.indexOf(QChar(u'\x01'), 1);
    return end > 0 && end <= maxTagLength ? text.mid(end + 1) : text;
}

} // namespace ragdesk
