"""Configuration. Everything that differs between environments comes from os.environ."""
import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    DATABASE_URL = os.environ.get("DATABASE_URL")
    PAYMENT_API_URL = os.environ.get("PAYMENT_API_URL")
    PAYMENT_API_KEY = os.environ.get("PAYMENT_API_KEY")
    PAYMENT_TIMEOUT = float(os.environ.get("PAYMENT_TIMEOUT", "5"))
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
