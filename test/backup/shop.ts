/** A small Django-shaped database for the backup specs: two app tables, django_migrations, an audit schema and the ledger. */
import { migrateLedger } from "../../core/ledger/migrate.js"
import type { DatabaseFacts } from "../../core/backup/facts.js"
import type { PgConn } from "../../core/backup/connection.js"
import { PG, type ScratchDatabase, createScratchDatabase } from "../helpers/postgres.js"

export const SHOP_FACTS: DatabaseFacts = {
  tables: [
    { name: "audit.events", rows: 5 },
    { name: "deploy_pipeline.deploys", rows: 0 },
    { name: "deploy_pipeline.lock_events", rows: 0 },
    { name: "deploy_pipeline.locks", rows: 0 },
    { name: "deploy_pipeline.rehearsals", rows: 0 },
    { name: "deploy_pipeline.schema_migrations", rows: 4 },
    { name: "public.django_migrations", rows: 4 },
    { name: "public.shop_order", rows: 2 },
    { name: "public.shop_product", rows: 3 },
  ],
  djangoMigrations: [
    { app: "contenttypes", name: "0001_initial" },
    { app: "auth", name: "0001_initial" },
    { app: "shop", name: "0001_initial" },
    { app: "shop", name: "0002_order" },
  ],
}

export async function createShopDatabase(label: string): Promise<{ db: ScratchDatabase; conn: PgConn }> {
  const db = await createScratchDatabase(label)
  const client = await db.connect()
  await client.query(`
    CREATE TABLE shop_product (id serial PRIMARY KEY, name text NOT NULL);
    INSERT INTO shop_product (name) VALUES ('tea'), ('coffee'), ('cocoa');
    CREATE TABLE shop_order (id serial PRIMARY KEY, product_id integer NOT NULL REFERENCES shop_product (id), qty integer NOT NULL);
    INSERT INTO shop_order (product_id, qty) VALUES (1, 2), (3, 1);
    CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255) NOT NULL, name varchar(255) NOT NULL, applied timestamptz NOT NULL DEFAULT now());
    INSERT INTO django_migrations (app, name) VALUES ('contenttypes', '0001_initial'), ('auth', '0001_initial'), ('shop', '0001_initial'), ('shop', '0002_order');
    CREATE SCHEMA audit;
    CREATE TABLE audit.events (id bigserial PRIMARY KEY, what text NOT NULL);
    INSERT INTO audit.events (what) SELECT 'event ' || n FROM generate_series(1, 5) n;
  `)
  await migrateLedger(client, "deploy_pipeline")
  await client.end()
  return { db, conn: { ...PG, database: db.name } }
}
