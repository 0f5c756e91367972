"""DataDecoder: what turns one record into the tensors of its items."""
import abc


class DataDecoder(abc.ABC):
    """decode(data, items) gives one tensor per item name; list_items() the names."""

    @abc.abstractmethod
    def decode(self, data, items):
        """A list of tensors, one for each of `items`, decoded from `data`."""

    @abc.abstractmethod
    def list_items(self):
        """The names of the items this decoder can decode."""
