"""The Spark build backend: the same SQL, translated by SQLGlot from DuckDB's dialect, on a Spark session.

Tables are temporary views over cached DataFrames; the rollups are written out as Parquet partitioned by month
(export) and loaded into the serving DuckDB file by metrics.build.serving. pyspark is imported only here.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import sqlglot
from sqlglot import exp

from ..contracts import FIRST_DATA_LINE
from .backend import NUMBERED, SOURCE, ReadError, is_parquet, local_path, read_header
from .checks import bound_names

# Small data, few cores: Spark's default of 200 shuffle partitions would spend its time on scheduling.
DEFAULT_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "4",
    # Rollups are many small tables: skip Hadoop's .crc side files and the second rename of each output file.
    "spark.hadoop.fs.file.impl": "org.apache.hadoop.fs.RawLocalFileSystem",
    "spark.hadoop.mapreduce.fileoutputcommitter.algorithm.version": "2",
    "spark.sql.parquet.compression.codec": "snappy",
    "spark.sql.adaptive.enabled": "true",
    "spark.driver.memory": "1g",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}
SPARK_TYPES = {"VARCHAR": "string", "INTEGER": "int", "BIGINT": "bigint", "DOUBLE": "double", "DATE": "date"}
ID_BITS = 33  # monotonically_increasing_id(): partition id in the upper bits, position in the lower 33


def session(master: str = "local[2]", conf: dict[str, str] | None = None) -> Any:
    """A SparkSession for builds (created once per process; later calls reuse it)."""
    # Everything stays on the loopback interface (executors of local-cluster[...] included).
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyspark warns about pandas 3 on import; we use collect(), not pandas
        from pyspark.sql import SparkSession
    builder = SparkSession.builder.master(master).appName("chuanyu-build")
    for k, v in {**DEFAULT_CONF, **(conf or {})}.items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@lru_cache(maxsize=1024)
def to_spark(sql: str) -> str:
    """A DuckDB statement in Spark SQL (SQLGlot; unsupported constructs raise rather than pass silently)."""
    out = sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)
    if len(out) != 1:
        raise ValueError("one statement at a time")
    return out[0]


def _created(sql: str) -> tuple[str, str, str] | None:
    """(kind, name, query in Spark SQL) for create table/view ... as select; None for other statements."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    if not isinstance(tree, exp.Create) or not isinstance(tree.expression, exp.Query):
        return None
    table = tree.this if isinstance(tree.this, exp.Table) else tree.this.find(exp.Table)
    return str(tree.args.get("kind", "TABLE")).upper(), table.name, to_spark(tree.expression.sql(dialect="duckdb"))


class SparkBackend:
    """Builds on a Spark session: local[N], local-cluster[...] or a spark:// master."""

    name = "spark"
    read_errors: tuple[type[Exception], ...] = (ReadError,)

    def __init__(self, spark: Any) -> None:
        """Use an existing session (see session())."""
        self.spark = spark
        self.tables: dict[str, Any] = {}

    def _sql(self, sql: str, params: dict[str, object] | None) -> Any:
        return self.spark.sql(sql, args=bound_names_spark(sql, params or {}) or None)

    def execute(self, sql: str, params: dict[str, object] | None = None) -> None:
        """create table/view ... as select become (cached) temporary views; drop statements drop them."""
        created = _created(sql)
        if created is None:
            tree = sqlglot.parse_one(sql, read="duckdb")
            if isinstance(tree, exp.Drop):
                self.drop(tree.this.name)
                return
            self.spark.sql(to_spark(sql))
            return
        kind, name, query = created
        df = self._sql(query, bound_names(sql, params or {}))
        if kind == "TABLE":
            df = df.persist()
            self.drop(name)
            self.tables[name] = df
        df.createOrReplaceTempView(name)

    def rows(self, sql: str, params: dict[str, object] | None = None) -> list[tuple]:
        """Run a query and return its rows as tuples."""
        return [tuple(r) for r in self._sql(to_spark(sql), bound_names(sql, params or {})).collect()]

    def columns(self, sql: str) -> list[str]:
        """The column names a query yields (analysis only)."""
        return list(self.spark.sql(to_spark(sql)).columns)

    def source(self, path: str) -> list[str]:
        """Register the file (local or any Hadoop-compatible URI) as SOURCE with text columns src_0..src_N."""
        from pyspark.sql import functions as F

        local = local_path(path)
        if local is not None and not local.exists():
            raise FileNotFoundError(path)
        reader = self.spark.read
        if is_parquet(path):
            df = reader.parquet(path)
            header = list(df.columns)
            df = df.select(*[F.col(f"`{c}`").cast("string").alias(f"src_{j}") for j, c in enumerate(header)])
        else:
            header = read_header(local) if local is not None else self._remote_header(path)
            # A schema of text columns: Spark then skips the header line without a job to read it.
            schema = ", ".join(f"src_{j} string" for j in range(len(header)))
            df = (
                reader.schema(schema)
                .option("header", True)
                .option("enforceSchema", True)
                .option("sep", ",")
                .option("quote", '"')
                .option("escape", '"')
                .option("encoding", "UTF-8")
                .option("mode", "PERMISSIVE")
                .csv(str(local) if local is not None else path)
            )
            df = df.toDF(*[f"src_{j}" for j in range(len(header))])
        self.drop(SOURCE)
        df.createOrReplaceTempView(SOURCE)
        return header

    def _remote_header(self, path: str) -> list[str]:
        cols = self.spark.read.option("header", True).option("inferSchema", False).csv(path).columns
        return [c.removeprefix("\ufeff") if i == 0 else c for i, c in enumerate(cols)]

    def numbered(self) -> str:
        """SOURCE with _row: each partition's rows offset by the rows of the partitions before it."""
        from pyspark.sql import functions as F

        df = self.spark.table(SOURCE).withColumn("_id", F.monotonically_increasing_id()).persist()
        parts = (
            df.groupBy(F.shiftright("_id", ID_BITS).alias("_part"))
            .agg(F.count(F.lit(1)).alias("n"), F.min("_id").alias("lo"))
            .collect()
        )
        base, offset = [], 0
        for r in sorted(parts, key=lambda r: r["_part"]):
            base.append((int(r["_part"]), offset - int(r["lo"]) + FIRST_DATA_LINE))
            offset += int(r["n"])
        mapping = self.spark.createDataFrame(base or [(0, 0)], "_part bigint, _base bigint")
        cols = [c for c in df.columns if c != "_id"]
        numbered = (
            df.withColumn("_part", F.shiftright("_id", ID_BITS))
            .join(F.broadcast(mapping), "_part")
            .select((F.col("_id") + F.col("_base")).alias("_row"), *cols)
        )
        self.drop(NUMBERED)
        self.tables[NUMBERED] = df
        numbered.createOrReplaceTempView(NUMBERED)
        return NUMBERED

    def blank_free(self) -> bool:
        """Always False: the files may be remote, and scanning them here would cost a read of each."""
        return False

    def load_rows(self, table: str, columns: Sequence[tuple[str, str]], rows: Sequence[tuple]) -> None:
        """A temporary view of literal rows."""
        schema = ", ".join(f"{n} {SPARK_TYPES[t.upper()]}" for n, t in columns)
        name = bare(table)
        self.drop(name)
        df = self.spark.createDataFrame(list(rows), schema).persist()
        self.tables[name] = df
        df.createOrReplaceTempView(name)

    def drop_flag(self, table: str) -> None:
        """The same cached rows without the _bad column."""
        name = bare(table)
        self.spark.table(name).drop("_bad").createOrReplaceTempView(name)

    def drop(self, table: str) -> None:
        """Forget a temporary view and its cached rows."""
        name = bare(table)
        self.spark.catalog.dropTempView(name)
        df = self.tables.pop(name, None)
        if df is not None:
            df.unpersist()

    def export(self, table: str, dest: str, partition: str | None) -> None:
        """Write a table as Parquet under dest (partitioned by one column, e.g. month)."""
        df = self.spark.table(bare(table))
        # Each month's rows in one task, so one file per month rather than one per task and month.
        df = df.repartition(partition) if partition else df.coalesce(1)
        writer = df.write.mode("overwrite")
        if partition:
            writer = writer.partitionBy(partition)
        writer.parquet(dest)

    def close(self) -> None:
        """Drop this build's views and cached rows (the session stays up for the next build)."""
        for name in list(self.tables):
            self.drop(name)
        for t in self.spark.catalog.listTables():
            if t.isTemporary:
                self.spark.catalog.dropTempView(t.name)


def bare(table: str) -> str:
    """A table name without DuckDB's or Spark's quotes (temporary views are looked up by plain name)."""
    return table.strip('"`')


def bound_names_spark(sql: str, params: dict[str, object]) -> dict[str, object]:
    """Parameters for spark.sql: SQLGlot wrote $name as :name."""
    return {k: v for k, v in params.items() if f":{k}" in sql}
