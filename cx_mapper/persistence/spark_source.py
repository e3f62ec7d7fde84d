"""Event logs read by Apache Spark, for logs beyond one machine: a table or view of the
Spark session's catalog, or files Spark reads (CSV, Parquet, ORC, JSON; a folder of
parts; any file system Spark reaches).

The same queries as a file import (event_queries), translated to Spark SQL, run on
the cluster, so only the counts and means per touchpoint come back. The typed
events are kept cached (memory, then disk) while the checks and the aggregation
read them, through temporary views of names of their own that go afterwards.

Rows are numbered in the order Spark reads them (a file's lines in order): the
row ids Spark hands out run in that order, with gaps between partitions, and one
count per partition turns them into numbers 1, 2, 3... for messages. pyspark is an
optional dependency (`pip install 'cx-mapper[spark]'`, with Java 17).
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from cx_mapper.persistence.csv_source import read_header
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.event_log import (
    ImportedLog,
    _check_scale,
    check_columns,
    estimate,
    with_guessed_satisfaction,
)
from cx_mapper.persistence.event_queries import (
    BAD,
    BOOLEAN,
    NUMBER,
    PARSED_COLUMNS,
    SPARK,
    TEXT,
    TIMESTAMP,
    LogColumns,
    for_engine,
    parse_sql,
)
from cx_mapper.persistence.sql_text import first_line

#: The master when none is given: every core of this machine.
DEFAULT_MASTER = "local[*]"
#: How Spark reads a file, by the end of its name (after .gz, .bz2 and the like).
FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet",
           ".pq": "parquet", ".orc": "orc", ".json": "json", ".jsonl": "json",
           ".ndjson": "json", ".avro": "avro"}
_PACKED = (".gz", ".bz2", ".deflate", ".lz4", ".snappy", ".zst")
#: monotonically_increasing_id: the partition's index above these bits, the row's below.
_ROW_BITS = 33


def spark_session(master: str = DEFAULT_MASTER, where: str = "Spark") -> Any:
    """The running SparkSession, or one started at `master` (local[*], local[2],
    spark://host:7077, yarn...). ProjectFileError when pyspark or Java is missing."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ProjectFileError("reading with Spark needs pyspark: pip install "
                               "'cx-mapper[spark]' (and Java 17)", path=where) from None
    builder = (SparkSession.builder.master(master).appName("cx-mapper import-log")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.session.timeZone", "UTC"))
    if master.startswith("local"):  # a Spark of this machine talks on the loopback only
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.config("spark.driver.host", "127.0.0.1") \
            .config("spark.driver.bindAddress", "127.0.0.1")
    logging = os.path.join(os.path.dirname(__file__), "spark_log4j2.properties")
    if os.path.isfile(logging):  # errors only: the command line's lines stay readable
        builder = builder.config("spark.driver.extraJavaOptions",
                                 f"-Dlog4j2.configurationFile=file:{logging}")
    try:
        spark = builder.getOrCreate()
    except Exception as error:  # pyspark says a missing Java in many ways
        raise ProjectFileError(f"Spark did not start at {master} ({first_line(error)}); "
                               "it needs Java 17 (java on PATH, or JAVA_HOME)",
                               path=where) from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def read_spark_events(
    columns: LogColumns | None = None,
    *,
    table: str | None = None,
    path: str | None = None,
    file_format: str | None = None,
    master: str = DEFAULT_MASTER,
    session: Any = None,
    scale: str = "auto",
    skip_bad_rows: bool = False,
    journey_id: str = "imported",
    journey_name: str = "Imported journey",
    guess_satisfaction: bool = False,
) -> ImportedLog:
    """A journey estimated by Spark from the `table` (or view) of the session's catalog,
    or from the files at `path` (a format from the name unless `file_format` is
    given). `session` is a running SparkSession to use; otherwise one is started at
    `master`. The same checks and messages as a file import; ProjectFileError names
    the table or path, the rows and the column when the events cannot be used."""
    if (table is None) == (path is None):
        raise ValueError("give either table or path")
    columns = columns or LogColumns()
    where = f"Spark table {table}" if table is not None else str(path)
    _check_scale(scale, where)
    spark = session if session is not None else spark_session(master, where)
    try:
        if table is not None:
            if not spark.catalog.tableExists(table):
                names = sorted(t.name for t in spark.catalog.listTables())
                raise ProjectFileError(f"there is no table or view '{table}' (there are: "
                                       f"{', '.join(names) or 'none'})", path=where)
            frame = spark.table(table)
        else:
            assert path is not None
            frame = _read_files(spark, path, file_format)
        kinds = {field.name: _kind(field.dataType) for field in frame.schema.fields}
        if guess_satisfaction:
            columns = with_guessed_satisfaction(columns, list(kinds))
        check_columns(columns, list(kinds), where)
        return _estimate(spark, frame, columns, kinds, scale=scale,
                         skip_bad_rows=skip_bad_rows, journey_id=journey_id,
                         journey_name=journey_name, where=where)
    except _spark_errors() as error:  # a missing file, a table Spark cannot read...
        raise ProjectFileError(f"cannot read the events: {first_line(error)}",
                               path=where) from None


def _estimate(spark: Any, frame: Any, columns: LogColumns, kinds: dict[str, str], *,
              scale: str, skip_bad_rows: bool, journey_id: str, journey_name: str,
              where: str) -> ImportedLog:
    """The queries, on temporary views of this import's own names, dropped afterwards;
    the session's time zone is UTC meanwhile (typed timestamps are read in UTC)."""
    from pyspark.sql.functions import monotonically_increasing_id

    name = f"cx_mapper_{uuid.uuid4().hex[:12]}"
    views = [f"{name}_{part}" for part in ("source", "ids", "rows", "rows_usable", "rows_ordered")]
    zone = spark.conf.get("spark.sql.session.timeZone")
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    frame.withColumn("cx_mapper_seq", monotonically_increasing_id()) \
        .createOrReplaceTempView(views[0])
    parsed = spark.sql(for_engine(parse_sql(views[0], columns, kinds, seq="cx_mapper_seq"),
                                  SPARK)).persist()
    try:
        parsed.createOrReplaceTempView(views[1])
        spark.sql(f"CREATE TEMPORARY VIEW {views[2]} AS SELECT "
                  + ", ".join(c for c in (*PARSED_COLUMNS, *BAD) if c != "seq")
                  + f", {_row_numbers(spark, views[1])} AS seq FROM {views[1]}")

        def fetch(sql: str) -> list[Any]:
            return [tuple(row) for row in spark.sql(sql).collect()]

        def execute(sql: str) -> None:
            spark.sql(sql)

        return estimate(fetch, execute, views[2], columns, scale=scale,
                        skip_bad_rows=skip_bad_rows, journey_id=journey_id,
                        journey_name=journey_name, where=where, engine=SPARK,
                        top_variants=0)  # paths (log_variants) run on DuckDB and PostgreSQL
    finally:
        parsed.unpersist()
        for view in views:
            spark.catalog.dropTempView(view)
        spark.conf.set("spark.sql.session.timeZone", zone)


def _row_numbers(spark: Any, ids: str) -> str:
    """The expression turning the row ids in `ids`.seq into numbers 1, 2, 3... in
    their order: a row's place in its partition, after the rows of the ones before."""
    part = f"shiftright(seq, {_ROW_BITS})"
    sizes = dict(spark.sql(f"SELECT {part}, COUNT(*) FROM {ids} GROUP BY 1").collect())
    before, offsets = 0, []
    for index in range(max(sizes, default=-1) + 1):
        offsets.append(f"{before}L")
        before += sizes.get(index, 0)
    if not offsets:
        return "seq"
    return (f"seq - shiftleft({part}, {_ROW_BITS}) + 1 + "
            f"element_at(array({', '.join(offsets)}), CAST({part} AS INT) + 1)")


def _read_files(spark: Any, path: str, file_format: str | None) -> Any:
    """The files at `path` as a DataFrame; CSV as text, with the header's delimiter and
    doubled quotes, as a file import reads it."""
    chosen = file_format or _format_of(path)
    reader = spark.read.format(chosen)
    if chosen == "csv":
        delimiter = ","
        if os.path.isfile(path):  # a local file: its header tells the delimiter
            delimiter = read_header(path).delimiter
        reader = reader.options(header="true", inferSchema="false", sep=delimiter,
                                quote='"', escape='"', encoding="UTF-8")
    return reader.load(path)


def _format_of(path: str) -> str:
    """The format by the end of the name; for a local folder, by its first data file."""
    name = path.rstrip("/")
    if os.path.isdir(name):
        parts = sorted(f for f in os.listdir(name) if not f.startswith((".", "_")))
        name = parts[0] if parts else name
    lower = name.lower()
    for packed in _PACKED:
        lower = lower.removesuffix(packed)
    return FORMATS.get(os.path.splitext(lower)[1], "csv")


def _kind(data_type: Any) -> str:
    """How a Spark column of this type is read (event_queries' kinds)."""
    from pyspark.sql import types

    if isinstance(data_type, types.BooleanType):
        return BOOLEAN
    if isinstance(data_type, types.NumericType):
        return NUMBER  # a DECIMAL to DOUBLE rounds as its text would be read
    if isinstance(data_type, types.TimestampType | types.TimestampNTZType | types.DateType):
        return TIMESTAMP
    return TEXT


def _spark_errors() -> tuple[type[Exception], ...]:
    """Spark's errors, which a message turns into one line naming the table or path."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    return PySparkException, Py4JError
