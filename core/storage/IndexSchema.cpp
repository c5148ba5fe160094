#include "core/storage/IndexSchema.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

const QList<MigrationStep> &IndexSchema::steps()
{
    // Times are INTEGER milliseconds since the epoch, UTC. knowledge_base_id has no foreign key:
    // knowledge bases live in profile.db.
    static const QList<MigrationStep> schema{
        // v1: documents, their text, chunks and the keyword index.
        MigrationStep{{
            u"CREATE TABLE documents ("
            " id INTEGER PRIMARY KEY,"
            " knowledge_base_id INTEGER NOT NULL,"
            " path TEXT NOT NULL,"
            " title TEXT NOT NULL DEFAULT '',"
            " mime TEXT NOT NULL DEFAULT '',"
            " size INTEGER NOT NULL DEFAULT 0,"
            " mtime INTEGER NOT NULL DEFAULT 0,"
            " hash TEXT,"
            " status TEXT NOT NULL"
            "  CHECK (status IN ('queued', 'extracting', 'indexed', 'failed', 'skipped')),"
            " error TEXT,"
            " chunk_count INTEGER NOT NULL DEFAULT 0,"
            " page_count INTEGER NOT NULL DEFAULT 0,"
            " attempts INTEGER NOT NULL DEFAULT 0,"
            " added_at INTEGER NOT NULL,"
            " indexed_at INTEGER,"
            " updated_at INTEGER NOT NULL,"
            " UNIQUE (knowledge_base_id, path))"_s,
            // The queue takes the oldest queued rows (status = ? ORDER BY id); progress counts by status.
            // "Documents of a KB" is served by the UNIQUE index above.
            u"CREATE INDEX documents_by_status ON documents(status, id)"_s,
            // Identical files are stored once: look up an indexed twin by content hash.
            u"CREATE INDEX documents_by_hash ON documents(knowledge_base_id, hash) WHERE hash IS NOT NULL"_s,
            u"CREATE TABLE document_text ("
            " document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,"
            " text TEXT NOT NULL)"_s,
            u"CREATE TABLE chunks ("
            " id INTEGER PRIMARY KEY,"
            " document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
            " ordinal INTEGER NOT NULL,"
            " text TEXT NOT NULL,"
            " heading_path TEXT NOT NULL DEFAULT '',"
            " page INTEGER NOT NULL DEFAULT 0,"
            " start_offset INTEGER NOT NULL,"
            " end_offset INTEGER NOT NULL,"
            " token_count INTEGER NOT NULL,"
            " enabled INTEGER NOT NULL DEFAULT 1)"_s,
            // Also what makes the cascade from documents cheap: deleting a document costs its own chunks.
            u"CREATE INDEX chunks_by_document ON chunks(document_id, ordinal)"_s,
            // The FTS content is a view of the enabled chunks, not the chunks table itself: disabled
            // chunks are deliberately absent from the index, and with the view as content FTS5's
            // own 'integrity-check' agrees with that instead of reporting them missing.
            u"CREATE VIEW chunks_fts_content AS SELECT id, text, heading_path FROM chunks WHERE enabled"_s,
            u"CREATE VIRTUAL TABLE chunks_fts USING fts5(text, heading_path, content='chunks_fts_content',"
            " content_rowid='id', tokenize='unicode61 remove_diacritics 2')"_s,
            // Bulk writes: 32 MB of pending terms per flush instead of 1 MB means fewer, larger
            // level-0 segments and far less merge work while thousands of chunks arrive.
            u"INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('hashsize', 33554432)"_s,
            u"INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('automerge', 8)"_s,
            // External content is not maintained by FTS5: these triggers keep it in step on delete
            // and update. A 'delete' must carry the exact old values, so it always uses old.* of the
            // chunk row. New chunks have no insert trigger: IndexedDocumentWriter, their only writer,
            // indexes a whole batch in one INSERT ... SELECT, because FTS5 flushes its in-memory
            // index at every statement and a per-row trigger made writes several times slower.
            u"CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks WHEN old.enabled BEGIN"
            " INSERT INTO chunks_fts(chunks_fts, rowid, text, heading_path)"
            "  VALUES ('delete', old.id, old.text, old.heading_path);"
            " END"_s,
            u"CREATE TRIGGER chunks_fts_update AFTER UPDATE OF text, heading_path, enabled ON chunks BEGIN"
            " INSERT INTO chunks_fts(chunks_fts, rowid, text, heading_path)"
            "  SELECT 'delete', old.id, old.text, old.heading_path WHERE old.enabled;"
            " INSERT INTO chunks_fts(rowid, text, heading_path)"
            "  SELECT new.id, new.text, new.heading_path WHERE new.enabled;"
            " END"_s,
        }},
        // v2: stemming and CJK search. Each chunk carries its knowledge base's language, the
        // keyword index is rebuilt with the "ragdesk" tokenizer (see SearchTokenizer), whose
        // input is the language tag followed by the text, and BM25 weighs headings above body
        // text. Languages of existing chunks are filled in by KnowledgeBaseLibrary::start().
        MigrationStep{{
            u"DROP TRIGGER chunks_fts_update"_s,
            u"DROP TRIGGER chunks_fts_delete"_s,
            u"DROP TABLE chunks_fts"_s,
            u"DROP VIEW chunks_fts_content"_s,
            u"ALTER TABLE chunks ADD COLUMN language TEXT NOT NULL DEFAULT ''"_s,
            // The tag expressions here, in the triggers and in IndexedDocumentWriter must agree
            // byte for byte: FTS5 re-tokenizes the old values to delete a row.
            u"CREATE VIEW chunks_fts_content AS SELECT id,"
            " char(1) || language || char(1) || text AS text,"
            " char(1) || language || char(1) || heading_path AS heading_path"
            " FROM chunks WHERE enabled"_s,
            u"CREATE VIRTUAL TABLE chunks_fts USING fts5(text, heading_path, content='chunks_fts_content',"
            " content_rowid='id', tokenize='ragdesk')"_s,
            u"INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('hashsize', 33554432)"_s,
            u"INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('automerge', 8)"_s,
            // The default ORDER BY rank: a word in the heading path counts three times a word
            // of the body. Queries order by rank so FTS5 itself sorts (see KeywordIndex).
            u"INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('rank', 'bm25(1.0, 3.0)')"_s,
            u"CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks WHEN old.enabled BEGIN"
            " INSERT INTO chunks_fts(chunks_fts, rowid, text, heading_path)"
            "  VALUES ('delete', old.id, char(1) || old.language || char(1) || old.text,"
            "   char(1) || old.language || char(1) || old.heading_path);"
            " END"_s,
            u"CREATE TRIGGER chunks_fts_update AFTER UPDATE OF text, heading_path, enabled, language ON chunks BEGIN"
            " INSERT INTO chunks_fts(chunks_fts, rowid, text, heading_path)"
            "  SELECT 'delete', old.id, char(1) || old.language || char(1) || old.text,"
            "   char(1) || old.language || char(1) || old.heading_path WHERE old.enabled;"
            " INSERT INTO chunks_fts(rowid, text, heading_path)"
            "  SELECT new.id, char(1) || new.language || char(1) || new.text,"
            "   char(1) || new.language || char(1) || new.heading_path WHERE new.enabled;"
            " END"_s,
            u"INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild')"_s,
            // Embedding vectors, per chunk and model: a knowledge base can switch models and
            // back without losing the vectors it had. Stored as little-endian float32 BLOBs.
            u"CREATE TABLE embedding_models ("
            " id INTEGER PRIMARY KEY,"
            " name TEXT NOT NULL UNIQUE,"
            " dimensions INTEGER NOT NULL)"_s,
            // Keyed by model first: VectorIndex loads one model's vectors in one range scan.
            u"CREATE TABLE chunk_vectors ("
            " model_id INTEGER NOT NULL REFERENCES embedding_models(id) ON DELETE CASCADE,"
            " chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,"
            " vector BLOB NOT NULL,"
            " PRIMARY KEY (model_id, chunk_id)) WITHOUT ROWID"_s,
            // What the cascade from a deleted chunk and "not yet embedded" look up.
            u"CREATE INDEX chunk_vectors_by_chunk ON chunk_vectors(chunk_id)"_s,
        }},
    };
    return schema;
}

} // namespace ragdesk
