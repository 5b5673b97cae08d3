"""The corpus schema as named, ordered migrations (applied by ``Store.migrate``).

A migration is never edited once released: a change of schema is a new migration at the end.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Migration:
    name: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        name="0001_corpus",
        statements=(
            """CREATE TABLE articles (
                id TEXT PRIMARY KEY,
                url TEXT UNIQUE,
                outlet TEXT NOT NULL,
                title TEXT,
                date TEXT,
                author TEXT,
                source TEXT,
                text TEXT NOT NULL,
                boilerplate TEXT NOT NULL DEFAULT '[]',
                ingested_at TEXT NOT NULL
            )""",
            "CREATE INDEX articles_outlet_date ON articles (outlet, date)",
            "CREATE INDEX articles_date ON articles (date)",
            """CREATE TABLE sentences (
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                idx INTEGER NOT NULL,
                "start" INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                text TEXT NOT NULL,
                PRIMARY KEY (article_id, idx)
            ) WITHOUT ROWID""",
            """CREATE TABLE embeddings (
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                sentence_idx INTEGER NOT NULL,
                model TEXT NOT NULL,
                dim INTEGER NOT NULL,
                vector BLOB NOT NULL,
                PRIMARY KEY (article_id, sentence_idx, model)
            ) WITHOUT ROWID""",
            """CREATE TABLE minhash (
                article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
                num_perm INTEGER NOT NULL,
                n_shingles INTEGER NOT NULL,
                signature BLOB NOT NULL,
                agency TEXT,
                is_agency INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID""",
            """CREATE TABLE copies (
                article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
                origin_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                jaccard REAL NOT NULL,
                copied_share REAL NOT NULL,
                agency TEXT,
                CHECK (article_id != origin_id)
            ) WITHOUT ROWID""",
            "CREATE INDEX copies_origin ON copies (origin_id)",
            """CREATE TABLE dup_groups (
                article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
                group_id TEXT NOT NULL
            ) WITHOUT ROWID""",
            "CREATE INDEX dup_groups_group ON dup_groups (group_id)",
            """CREATE TABLE stories (
                id TEXT PRIMARY KEY,
                title TEXT,
                first_date TEXT,
                last_date TEXT
            ) WITHOUT ROWID""",
            "CREATE INDEX stories_first_date ON stories (first_date)",
            "CREATE INDEX stories_last_date ON stories (last_date)",
            """CREATE TABLE story_members (
                story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                PRIMARY KEY (story_id, article_id)
            ) WITHOUT ROWID""",
            "CREATE INDEX story_members_article ON story_members (article_id)",
            """CREATE TABLE comparisons (
                story_id TEXT PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
                members_hash TEXT NOT NULL,
                schema TEXT NOT NULL,
                version TEXT NOT NULL,
                json TEXT NOT NULL
            ) WITHOUT ROWID""",
            """CREATE TABLE errors (
                id TEXT PRIMARY KEY,
                source TEXT NOT NULL,
                line INTEGER,
                record TEXT,
                code TEXT NOT NULL,
                reason TEXT NOT NULL
            ) WITHOUT ROWID""",
            "CREATE INDEX errors_source ON errors (source, line)",
        ),
    ),
    Migration(
        name="0002_cluster_features",
        statements=(
            # What clustering saw of each article, in the order it saw them: replaying these
            # rebuilds the story index exactly, so an interrupted ingest resumes where it was.
            """CREATE TABLE cluster_features (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                article_id TEXT NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
                vector BLOB NOT NULL,
                entities TEXT NOT NULL,
                date TEXT,
                title TEXT,
                dedupe_group TEXT
            )""",
        ),
    ),
    Migration(
        name="0003_story_search",
        statements=(
            # Search by title, outlet and named entity for the web app: a trigram index finds
            # any substring of three characters or more; its rowid is the article's rowid.
            "CREATE VIRTUAL TABLE article_search USING fts5("
            "title, outlet, entities, tokenize = 'trigram')",
            "INSERT INTO article_search (rowid, title, outlet, entities) "
            "SELECT a.rowid, COALESCE(a.title, ''), a.outlet, "
            "COALESCE((SELECT group_concat(value, ' ') FROM json_each(f.entities)), '') "
            "FROM articles a LEFT JOIN cluster_features f ON f.article_id = a.id",
            """CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
                INSERT INTO article_search (rowid, title, outlet, entities)
                VALUES (NEW.rowid, COALESCE(NEW.title, ''), NEW.outlet, '');
            END""",
            """CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
                DELETE FROM article_search WHERE rowid = OLD.rowid;
            END""",
            """CREATE TRIGGER article_search_entities AFTER INSERT ON cluster_features BEGIN
                UPDATE article_search SET entities = COALESCE(
                    (SELECT group_concat(value, ' ') FROM json_each(NEW.entities)), '')
                WHERE rowid = (SELECT rowid FROM articles WHERE id = NEW.article_id);
            END""",
            # the order of every story list: newest first, undated last
            "CREATE INDEX stories_recent ON stories (last_date IS NULL, last_date DESC, id)",
        ),
    ),
)
