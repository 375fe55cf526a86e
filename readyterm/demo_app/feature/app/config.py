"""Configuration. Everything that differs between environments comes from os.environ."""
import os

# Defaults so the service runs locally without any setup.
DEBUG = True
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres:postgres@localhost:5432/orders")
PAYMENT_API = "http://localhost:8001/v1"
STRIPE_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
EXPORT_DIR = "/home/dev/exports"
REQUEST_TIMEOUT = 300  # payment sandbox is slow


class Config:
    DEBUG = DEBUG
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-secret-key")
    DATABASE_URL = DATABASE_URL
    PAYMENT_API_URL = PAYMENT_API
    PAYMENT_API_KEY = STRIPE_KEY
    PAYMENT_TIMEOUT = float(os.environ.get("PAYMENT_TIMEOUT", "5"))
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
