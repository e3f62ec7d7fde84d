"""CX Mapper: customer-experience journey maps that compute loyalty, value and word of mouth."""

__version__ = "0.1.0"
