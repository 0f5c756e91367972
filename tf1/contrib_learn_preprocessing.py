"""tf.contrib.learn.preprocessing as TF 1.x had it
(tensorflow/contrib/learn/python/learn/preprocessing/text.py, categorical.py and
categorical_vocabulary.py): VocabularyProcessor, which text-classification scripts use to
turn documents into fixed-length rows of word ids, CategoricalProcessor (a table's category
columns into ids), and the pieces they are made of. Pure Python and NumPy, as it was.
`restore` reads a processor TF 1.x's `save` pickled (the vocabulary file text-classification
scripts keep beside their checkpoints) as well as one saved here."""
import collections
import pickle
import re

import numpy as np
import tensorflow.compat.v1 as tf

__all__ = ['ByteProcessor', 'CategoricalProcessor', 'CategoricalVocabulary', 'VocabularyProcessor',
           'tokenizer']

# Upper-case runs, capitalised words before another capital, or runs of word characters,
# apostrophes and hyphens.
TOKENIZER_RE = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z][a-z]+(?=[A-Z])|[\'\w\-]+", re.UNICODE)


def tokenizer(iterator):
    """Each document of `iterator` as its list of tokens."""
    for value in iterator:
        yield TOKENIZER_RE.findall(value)


class CategoricalVocabulary(object):
    """Categories ↔ ids, id 0 for the unknown token. Grows until frozen; `trim` keeps the
    categories seen more than min_frequency times, renumbered by frequency."""

    def __init__(self, unknown_token='<UNK>', support_reverse=True):
        self._unknown_token = unknown_token
        self._mapping = {unknown_token: 0}
        self._support_reverse = support_reverse
        if support_reverse:
            self._reverse_mapping = [unknown_token]
        self._freq = collections.defaultdict(int)
        self._freeze = False

    def __len__(self):
        return len(self._mapping)

    def freeze(self, freeze=True):
        self._freeze = freeze

    def get(self, category):
        """The category's id; a new one unless frozen (then 0, the unknown token's)."""
        if category not in self._mapping:
            if self._freeze:
                return 0
            self._mapping[category] = len(self._mapping)
            if self._support_reverse:
                self._reverse_mapping.append(category)
        return self._mapping[category]

    def add(self, category, count=1):
        category_id = self.get(category)
        if category_id <= 0:
            return
        self._freq[category] += count

    def trim(self, min_frequency, max_frequency=-1):
        """Keeps the categories counted more than min_frequency times (and, with
        max_frequency > 0, fewer than it), renumbered 1..n by frequency, then name."""
        self._freq = sorted(sorted(self._freq.items(),
                                   key=lambda x: (isinstance(x[0], str), x[0])),
                            key=lambda x: x[1], reverse=True)
        self._mapping = {self._unknown_token: 0}
        if self._support_reverse:
            self._reverse_mapping = [self._unknown_token]
        idx = 1
        for category, count in self._freq:
            if 0 < max_frequency <= count:
                continue
            if count <= min_frequency:
                break
            self._mapping[category] = idx
            idx += 1
            if self._support_reverse:
                self._reverse_mapping.append(category)
        self._freq = dict(self._freq[:idx - 1])

    def reverse(self, class_id):
        """The category of an id."""
        if not self._support_reverse:
            raise ValueError("This vocabulary wasn't initialized with support_reverse to "
                             "support reverse() function.")
        return self._reverse_mapping[class_id]


class CategoricalProcessor(object):
    """Each column of a table of categories (rows of values; a pandas DataFrame too) as
    ids: one CategoricalVocabulary per column, or one for all when `share`; categories
    seen min_frequency times or fewer, and NaN, are id 0. `vocabularies_` after fit."""

    def __init__(self, min_frequency=0, share=False, vocabularies=None):
        self.min_frequency = min_frequency
        self.share = share
        self.vocabularies_ = vocabularies

    def freeze(self, freeze=True):
        for vocabulary in self.vocabularies_:
            vocabulary.freeze(freeze)

    def fit(self, x, unused_y=None):
        """Learn each column's categories from the rows of `x`."""
        for row in _rows(x):
            if self.vocabularies_ is None:
                shared = CategoricalVocabulary()
                self.vocabularies_ = [shared if self.share else CategoricalVocabulary()
                                      for _ in row]
            for column, value in enumerate(row):
                if not _is_nan(value):
                    self.vocabularies_[column].add(value)
        if self.min_frequency > 0:
            for vocabulary in self.vocabularies_:
                vocabulary.trim(self.min_frequency)
        self.freeze()
        return self

    def fit_transform(self, x, unused_y=None):
        self.fit(x)
        return self.transform(x)

    def transform(self, x):
        """Yield each row of `x` as an int64 array of category ids."""
        self.freeze()
        for row in _rows(x):
            yield np.array([0 if _is_nan(value) else self.vocabularies_[column].get(value)
                            for column, value in enumerate(row)], dtype=np.int64)


def _rows(x):
    """The rows of a table: a pandas DataFrame's values, else `x` itself."""
    return x.to_numpy() if hasattr(x, 'to_numpy') else x


def _is_nan(value):
    return isinstance(value, float) and np.isnan(value)


class ByteProcessor(object):
    """Documents as rows of their UTF-8 bytes, cut or zero-padded to max_document_length."""

    def __init__(self, max_document_length):
        self.max_document_length = max_document_length

    def fit(self, x):
        pass

    def fit_transform(self, x):
        return self.transform(x)

    def reverse(self, x):
        for data in x:
            document = np.trim_zeros(data.astype(np.int8), trim='b').tobytes()
            try:
                yield document.decode('utf-8')
            except UnicodeDecodeError:
                yield ''

    def transform(self, x):
        for document in x:
            if isinstance(document, str):
                document = document.encode('utf-8')
            row = np.frombuffer(memoryview(document)[:self.max_document_length],
                                dtype=np.uint8)
            yield np.pad(row, (0, self.max_document_length - len(row)), 'constant')


class VocabularyProcessor(object):
    """Documents → rows of max_document_length word ids (0: unknown or padding), by a
    vocabulary learned in `fit` (words seen more than min_frequency times)."""

    def __init__(self, max_document_length, min_frequency=0, vocabulary=None,
                 tokenizer_fn=None):
        self.max_document_length = max_document_length
        self.min_frequency = min_frequency
        self.vocabulary_ = vocabulary if vocabulary else CategoricalVocabulary()
        self._tokenizer = tokenizer_fn if tokenizer_fn else tokenizer

    def fit(self, raw_documents, unused_y=None):
        for tokens in self._tokenizer(raw_documents):
            for token in tokens:
                self.vocabulary_.add(token)
        if self.min_frequency > 0:
            self.vocabulary_.trim(self.min_frequency)
        self.vocabulary_.freeze()
        return self

    def fit_transform(self, raw_documents, unused_y=None):
        self.fit(raw_documents)
        return self.transform(raw_documents)

    def transform(self, raw_documents):
        """A generator of int64 rows, one per document."""
        for tokens in self._tokenizer(raw_documents):
            word_ids = np.zeros(self.max_document_length, np.int64)
            # zip, not a slice: a tokenizer_fn may yield iterators (jieba.cut does).
            for idx, token in zip(range(self.max_document_length), tokens):
                word_ids[idx] = self.vocabulary_.get(token)
            yield word_ids

    def reverse(self, documents):
        """Rows of ids back to space-separated words."""
        for item in documents:
            yield ' '.join(self.vocabulary_.reverse(class_id) for class_id in item)

    def save(self, filename):
        with tf.gfile.Open(filename, 'wb') as f:
            f.write(pickle.dumps(self))

    @classmethod
    def restore(cls, filename):
        with tf.gfile.Open(filename, 'rb') as f:
            return _Unpickler(f).load()


# Where TF 1.x's pickles say these classes and the tokenizer live.
_TF1_MODULES = ('tensorflow.contrib.learn.python.learn.preprocessing.text',
                'tensorflow.contrib.learn.python.learn.preprocessing.categorical_vocabulary')


class _Unpickler(pickle.Unpickler):
    """Finds TF 1.x's preprocessing classes here."""

    def find_class(self, module, name):
        return super().find_class(__name__ if module in _TF1_MODULES else module, name)
