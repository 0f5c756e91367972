"""tf1's tf.contrib.learn.preprocessing against TF 1.x's text.py and
categorical_vocabulary.py: the same tokens, vocabulary ids, padding and trimming, and a
processor TF 1.x's `save` pickled restores."""
import pickle

import numpy as np
import pytest

from tf1 import contrib_learn_preprocessing as preprocessing

DOCUMENTS = ['I love NASA and the USA.', "don't panic", 'love love the sea', 'Sea-side HTTPServer']


def test_the_tokenizer_splits_as_tf1s_regular_expression():
    assert list(preprocessing.tokenizer(DOCUMENTS)) == [
        ['I', 'love', 'NASA', 'and', 'the', 'USA'], ["don't", 'panic'],
        ['love', 'love', 'the', 'sea'], ['Sea-side', 'HTTP', 'Server']]


def test_documents_become_fixed_length_rows_of_word_ids():
    processor = preprocessing.VocabularyProcessor(max_document_length=4)
    rows = np.array(list(processor.fit_transform(DOCUMENTS)))
    assert rows.dtype == np.int64 and rows.shape == (4, 4)
    np.testing.assert_array_equal(rows, [[1, 2, 3, 4], [7, 8, 0, 0], [2, 2, 5, 9],
                                         [10, 11, 12, 0]])  # ids in order of first sight
    assert len(processor.vocabulary_) == 13  # with <UNK>
    np.testing.assert_array_equal(list(processor.transform(['the unseen love'])),
                                  [[5, 0, 2, 0]])  # frozen: unknown words are 0
    assert list(processor.reverse([[1, 2, 0, 0]])) == ['I love <UNK> <UNK>']


def test_a_tokenizer_may_yield_iterators():
    """As jieba.cut does: TF 1.x stepped through the tokens, never sliced them."""
    processor = preprocessing.VocabularyProcessor(
        max_document_length=2, tokenizer_fn=lambda docs: (iter(d.split()) for d in docs))
    np.testing.assert_array_equal(list(processor.fit_transform(['a b c', 'b'])),
                                  [[1, 2], [2, 0]])


def test_min_frequency_keeps_frequent_words_renumbered_by_frequency():
    processor = preprocessing.VocabularyProcessor(max_document_length=3, min_frequency=1)
    processor.fit(DOCUMENTS)
    # love (3 times), then the (2): by frequency, then by name; the rest are unknown.
    assert [processor.vocabulary_.reverse(i) for i in range(len(processor.vocabulary_))] == [
        '<UNK>', 'love', 'the']
    np.testing.assert_array_equal(list(processor.transform(['the love boat'])), [[2, 1, 0]])


def test_a_processor_tf1_saved_restores(tmp_path):
    processor = preprocessing.VocabularyProcessor(max_document_length=5)
    processor.fit(DOCUMENTS)
    # What TF 1.x's save wrote: the same objects, under TF 1.x's module paths (protocol
    # 3 names classes as text).
    data = pickle.dumps(processor, protocol=3)
    for name, module in (('CategoricalVocabulary', 'categorical_vocabulary'),
                         ('VocabularyProcessor', 'text'), ('tokenizer', 'text')):
        data = data.replace(b'ctf1.contrib_learn_preprocessing\n%s\n' % name.encode(),
                            b'ctensorflow.contrib.learn.python.learn.preprocessing.%s\n%s\n'
                            % (module.encode(), name.encode()))
    assert b'tf1.' not in data
    (tmp_path / 'vocab').write_bytes(data)
    restored = preprocessing.VocabularyProcessor.restore(str(tmp_path / 'vocab'))
    np.testing.assert_array_equal(list(restored.transform(DOCUMENTS)),
                                  list(processor.transform(DOCUMENTS)))
    restored.save(str(tmp_path / 'again'))
    again = preprocessing.VocabularyProcessor.restore(str(tmp_path / 'again'))
    assert len(again.vocabulary_) == len(processor.vocabulary_)


def test_byte_processor_pads_and_reverses():
    processor = preprocessing.ByteProcessor(max_document_length=6)
    rows = list(processor.transform(['abc', 'abcdefgh', 'é']))
    np.testing.assert_array_equal(rows[0], [97, 98, 99, 0, 0, 0])
    assert len(rows[1]) == 6 and list(processor.reverse(rows)) == ['abc', 'abcdef', 'é']


def test_reverse_needs_support_reverse():
    with pytest.raises(ValueError, match='support_reverse'):
        preprocessing.CategoricalVocabulary(support_reverse=False).reverse(0)


def test_they_are_tf_contrib_learn_names():
    from tf1.api import tensorflow
    assert (tensorflow.contrib.learn.preprocessing.VocabularyProcessor
            is preprocessing.VocabularyProcessor)
    modes = tensorflow.contrib.learn.ModeKeys  # what tensorflow/nmt switches on
    assert (modes.TRAIN, modes.EVAL, modes.INFER) == ('train', 'eval', 'infer')
