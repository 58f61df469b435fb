#!/bin/sh
echo "hello from my-app"
