"""Workers warm PyThaiNLP at start: the warm-up loads the dictionary and the segmenter's word trie."""
from __future__ import annotations

from pythainlp.tokenize import word_dict_trie

from app.search import tokens


def test_warm_up_loads_the_dictionary_and_the_segmenter():
    tokens._dictionary.cache_clear()
    word_dict_trie.cache_clear()
    tokens.warm_up()
    assert tokens._dictionary.cache_info().currsize == 1
    assert "ประชุม" in tokens._dictionary()
    assert word_dict_trie.cache_info().currsize == 1  # newmm's trie: what the first search used to wait for
    assert tokens.tokens("การประชุม")  # and the segmenter answers at once
