"""Type stubs of the tactful Python package."""

import os
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple, Union

__version__: str
SCHEMA_VERSION: int
CSV_COLUMNS: List[str]
INT_COLUMNS: List[str]
FINDING_COLUMNS: Tuple[str, ...]
COLUMNS: Tuple[str, ...]

#: A transcript in the JSONL input shape, or one JSON record as text.
InputRecord = Union[Mapping[str, Any], str, bytes]
#: An output record of ``tactful check --format jsonl``.
OutputRecord = Dict[str, Any]
Finding = Dict[str, Any]
ConfigLike = Union[None, Mapping[str, Any], str, "os.PathLike[str]"]

class TactfulError(ValueError):
    """Base class of tactful's errors."""

class ConfigError(TactfulError):
    """An invalid configuration (message as the CLI prints it)."""

class InputError(TactfulError):
    """A record that cannot be read (message as in the CLI's error record)."""

    id: Optional[str]

class Records(Iterator[OutputRecord]):
    """The records of a file, in input order."""

    def __iter__(self) -> "Records": ...
    def __next__(self) -> OutputRecord: ...

class Analyzer:
    """A compiled analyzer; thread-safe, build once and share."""

    def __init__(self, config: ConfigLike = None) -> None: ...
    def analyze(self, record: InputRecord) -> OutputRecord:
        """The output record of one transcript; raises InputError."""
    def analyze_many(
        self, records: Iterable[InputRecord], threads: Optional[int] = None
    ) -> List[OutputRecord]:
        """Output records in input order, analyzed in parallel without the
        GIL; unreadable records become error records."""
    def analyze_arrow(
        self,
        records: Iterable[InputRecord],
        threads: Optional[int] = None,
        position: Optional[str] = None,
    ) -> Any:
        """The finding rows of ``records`` as a ``pyarrow.Table``, equal to
        ``to_arrow(analyze_many(records))``, built in Rust; with ``position``,
        a last int64 column of that name holds each row's record index."""
    def check_file(
        self,
        path: Union[str, "os.PathLike[str]"],
        input_format: Optional[str] = None,
        threads: Optional[int] = None,
    ) -> Records:
        """The records of a file as ``tactful check --format jsonl``."""
    def conversation(self, id: Optional[str] = None) -> "Conversation":
        """A live chat analyzed by this analyzer."""

class Conversation:
    """A live chat fed turn by turn."""

    def __init__(self, analyzer: Optional[Analyzer] = None, id: Optional[str] = None) -> None: ...
    def push(self, role: str, text: str) -> List[Finding]:
        """The findings the turn adds; raises InputError for an unknown role."""
    def finish(self) -> List[Finding]:
        """The empathy gap of an agent reply still open, if any."""
    def report(self) -> OutputRecord:
        """The record so far (as Analyzer.analyze gives it after finish())."""
    def __len__(self) -> int: ...

def check_file(
    path: Union[str, "os.PathLike[str]"],
    input_format: Optional[str] = None,
    *,
    config: ConfigLike = None,
    threads: Optional[int] = None,
) -> Records: ...
def rows(records: Iterable[OutputRecord]) -> Iterator[Dict[str, Any]]: ...
def to_pandas(records: Iterable[OutputRecord]) -> Any: ...
def arrow_schema() -> Any: ...
def to_arrow(records: Iterable[OutputRecord]) -> Any: ...
