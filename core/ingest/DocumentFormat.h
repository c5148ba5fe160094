#pragma once
// placeholder: written by the extractors work
